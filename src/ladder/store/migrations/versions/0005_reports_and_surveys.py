"""The web service's report lifecycle (reports, revisions) and the socio-economic
background staff survey (surveys, anonymous responses).

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_code", sa.String(16), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(254), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint("org_code", "period", name="uq_reports_org_code_period"),
    )
    op.create_index("ix_reports_org_code", "reports", ["org_code"])
    op.create_table(
        "report_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(512), nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_by", sa.String(254), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(254), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name="fk_report_revisions_report_id_reports",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_revisions"),
        sa.UniqueConstraint("report_id", "number", name="uq_report_revisions_report_id_number"),
    )
    op.create_index("ix_report_revisions_report_id", "report_revisions", ["report_id"])
    op.create_table(
        "seb_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_code", sa.String(16), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_seb_surveys"),
        sa.UniqueConstraint("token", name="uq_seb_surveys_token"),
    )
    op.create_index("ix_seb_surveys_org_code", "seb_surveys", ["org_code"])
    op.create_table(
        "seb_survey_responses",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("parent_occupation", sa.Integer(), nullable=True),
        sa.Column("school_type", sa.String(32), nullable=True),
        sa.Column("free_school_meals", sa.String(32), nullable=True),
        sa.Column("parent_qualification", sa.String(32), nullable=True),
        sa.Column("ethnicity", sa.String(64), nullable=True),
        sa.Column("disability", sa.String(32), nullable=True),
        sa.Column("pay_band", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["seb_surveys.id"],
            name="fk_seb_survey_responses_survey_id_seb_surveys",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_seb_survey_responses"),
    )
    op.create_index("ix_seb_survey_responses_survey_id", "seb_survey_responses", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_seb_survey_responses_survey_id", table_name="seb_survey_responses")
    op.drop_table("seb_survey_responses")
    op.drop_index("ix_seb_surveys_org_code", table_name="seb_surveys")
    op.drop_table("seb_surveys")
    op.drop_index("ix_report_revisions_report_id", table_name="report_revisions")
    op.drop_table("report_revisions")
    op.drop_index("ix_reports_org_code", table_name="reports")
    op.drop_table("reports")
