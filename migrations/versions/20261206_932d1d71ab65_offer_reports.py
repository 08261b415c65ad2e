"""Offers users reported, who asked to hear back, feedback on verdicts (bot/knownscams/, docs/known-scams.md).

Revision ID: 932d1d71ab65
Revises: 3ba72229c49b
Create Date: 2026-12-06 20:28:22.567582
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "932d1d71ab65"
down_revision: str | None = "3ba72229c49b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offer_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("risk", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("staff_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("offer_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_reports_status"), ["status"], unique=False)

    op.create_table(
        "report_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice", sa.String(length=16), nullable=False),
        sa.Column("notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["offer_reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_subscriptions_notice"), ["notice"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_subscriptions_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_subscriptions_user_key"), ["user_key"], unique=False)

    op.create_table(
        "verdict_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("risk", sa.String(length=8), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["offer_reports.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("verdict_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verdict_feedback_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verdict_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verdict_feedback_report_id"))

    op.drop_table("verdict_feedback")
    with op.batch_alter_table("report_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_subscriptions_user_key"))
        batch_op.drop_index(batch_op.f("ix_report_subscriptions_report_id"))
        batch_op.drop_index(batch_op.f("ix_report_subscriptions_notice"))

    op.drop_table("report_subscriptions")
    with op.batch_alter_table("offer_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_reports_status"))

    op.drop_table("offer_reports")
