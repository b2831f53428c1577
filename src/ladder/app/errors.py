"""The errors front ends catch (one-line messages, never a traceback)."""

from ladder.store.errors import StoreError, UsageError

__all__ = ["StoreError", "UsageError"]
