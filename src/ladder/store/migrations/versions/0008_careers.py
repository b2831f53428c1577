"""Careers matching: reach and fairness counters (no person is stored).

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "careers_reach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("org_code", sa.String(16), nullable=False),
        sa.Column("lsoa21", sa.String(16), nullable=False),
        sa.Column("imd_decile", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_careers_reach"),
        sa.UniqueConstraint(
            "day", "org_code", "lsoa21", name="uq_careers_reach_day_org_code_lsoa21"
        ),
    )
    op.create_table(
        "careers_fairness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(32), nullable=False),
        sa.Column("grp", sa.String(64), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_careers_fairness"),
        sa.UniqueConstraint(
            "day", "dimension", "grp", name="uq_careers_fairness_day_dimension_grp"
        ),
    )


def downgrade() -> None:
    op.drop_table("careers_fairness")
    op.drop_table("careers_reach")
