"""Ladder: measure, benchmark and improve social mobility and workforce equality."""

__version__ = "0.1.0"
