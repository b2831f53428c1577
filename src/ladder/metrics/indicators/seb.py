"""Placeholder: this family's indicators are being written."""
