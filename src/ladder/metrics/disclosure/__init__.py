"""Disclosure audit: a recovery attack on everything a publication contains.

Reads results as plain records (the ``ladder metrics --format json`` shape), so it does
not depend on how results are built. :mod:`relations` models the published figures as
linear relations between people counts (and pay sums), :mod:`attack` bounds every withheld
value by (mixed-integer) linear programming, :mod:`report` lists what was narrowed below
the threshold, :mod:`notes` rewrites withheld figures' notes to one neutral text.
"""
