"""Ladder: measure, benchmark and improve social mobility and workforce equality."""

import os

__version__ = "0.1.0"

# Polars' allocator (jemalloc) hands freed memory back to the system after 0.5-1 s, and a
# run allocates and frees large buffers query after query: a quarter of its CPU time went on
# the kernel mapping those pages again. Keeping freed pages 10 s (set before Polars loads;
# an explicit _RJEM_MALLOC_CONF wins) costs ~0.1 GB of peak memory on the national run.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:10000,muzzy_decay_ms:10000")
