"""Command-line interface (Typer). Thin: every command calls into the library."""
