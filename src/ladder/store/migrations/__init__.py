"""Alembic migrations of the workspace database, run by :func:`ladder.store.database.migrate`."""
