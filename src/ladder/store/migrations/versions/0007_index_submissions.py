"""Open index: employers' submissions to a framework and assessors' adjustments.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "index_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(64), nullable=False),
        sa.Column("framework_version", sa.String(32), nullable=False),
        sa.Column("org_code", sa.String(16), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_index_submissions"),
        sa.UniqueConstraint(
            "framework", "org_code", "period", name="uq_index_submissions_framework_org_code_period"
        ),
    )
    op.create_index("ix_index_submissions_org_code", "index_submissions", ["org_code"])
    op.create_table(
        "index_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(64), nullable=False),
        sa.Column("points", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assessor", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["index_submissions.id"],
            name="fk_index_adjustments_submission_id_index_submissions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_index_adjustments"),
    )
    op.create_index("ix_index_adjustments_submission_id", "index_adjustments", ["submission_id"])


def downgrade() -> None:
    op.drop_index("ix_index_adjustments_submission_id", table_name="index_adjustments")
    op.drop_table("index_adjustments")
    op.drop_index("ix_index_submissions_org_code", table_name="index_submissions")
    op.drop_table("index_submissions")
