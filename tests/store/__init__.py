"""Tests of the workspace store and the import command."""
