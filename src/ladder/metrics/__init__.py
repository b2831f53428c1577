"""Indicators: the registry, the engines, statistics, suppression and the families."""
