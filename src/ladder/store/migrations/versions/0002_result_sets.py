"""Stored results: the result_sets index (one row per org, period and settings key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "result_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_code", sa.String(16), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("settings_key", sa.String(64), nullable=False),
        sa.Column("method_version", sa.String(32), nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_result_sets"),
        sa.UniqueConstraint(
            "org_code", "period", "settings_key", name="uq_result_sets_org_code_period_settings_key"
        ),
    )
    op.create_index("ix_result_sets_org_code", "result_sets", ["org_code"])


def downgrade() -> None:
    op.drop_index("ix_result_sets_org_code", table_name="result_sets")
    op.drop_table("result_sets")
