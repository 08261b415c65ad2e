"""The schema as it was when migrations began (issue 17): every table the bot and the channel
connectors created with create_all.

A database created before then holds some of these tables (each process created
only its own, when it first ran): this revision creates only the missing ones,
so it adopts such a database as well as it builds an empty one.

Revision ID: 63d07a4b7e3b
Revises:
Create Date: 2026-12-02 07:29:58.312128
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "63d07a4b7e3b"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if missing("analytics_events"):
        op.create_table(
            "analytics_events",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("kind", sa.String(length=24), nullable=False),
            sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("week", sa.String(length=8), nullable=False),
            sa.Column("month", sa.String(length=7), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("monthly_key", sa.String(length=32), nullable=True),
            sa.Column("subject", sa.String(length=64), nullable=True),
            sa.Column("item", sa.String(length=64), nullable=True),
            sa.Column("correct", sa.Boolean(), nullable=True),
            sa.Column("number", sa.Integer(), nullable=True),
            sa.Column("total", sa.Integer(), nullable=True),
            sa.Column("attempt", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_analytics_kind_day", "analytics_events", ["kind", "day", "channel", "subject", "item"])
        op.create_index(
            "ix_analytics_kind_people", "analytics_events", ["kind", "day", "channel", "week", "monthly_key"]
        )
        op.create_index("ix_analytics_month", "analytics_events", ["month", "monthly_key"])

    if missing("audit_log"):
        op.create_table(
            "audit_log",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("staff_name", sa.String(length=64), nullable=False),
            sa.Column("action", sa.String(length=32), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=True),
            sa.Column("detail", sa.String(length=200), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )

    if missing("quiz_attempts"):
        op.create_table(
            "quiz_attempts",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("quiz_id", sa.String(length=64), nullable=False),
            sa.Column("question_order", sa.JSON(), nullable=False),
            sa.Column("option_order", sa.JSON(), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("score", sa.Integer(), nullable=False),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_quiz_attempts_user_key"), "quiz_attempts", ["user_key"])

    if missing("staff_accounts"):
        op.create_table(
            "staff_accounts",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("password_hash", sa.String(length=200), nullable=False),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("name"),
        )

    if missing("webchat_outbox"):
        op.create_table(
            "webchat_outbox",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("message", sa.JSON(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_webchat_outbox_user_key"), "webchat_outbox", ["user_key"])

    if missing("cases"):
        op.create_table(
            "cases",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("conversation_id", sa.String(length=128), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("reason", sa.String(length=16), nullable=False),
            sa.Column("priority", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("last_user_message_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("handler_id", sa.Integer(), nullable=True),
            sa.Column("outcome", sa.String(length=64), nullable=True),
            sa.Column("closed_by", sa.String(length=16), nullable=True),
            sa.Column("answers", sa.JSON(), nullable=False),
            sa.Column("questions_asked", sa.Integer(), nullable=False),
            sa.Column("unclaimed_notice", sa.String(length=16), nullable=False),
            sa.Column("closed_notice_sent", sa.Boolean(), nullable=False),
            sa.ForeignKeyConstraint(
                ["handler_id"],
                ["staff_accounts.id"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_cases_conversation_id"), "cases", ["conversation_id"])
        op.create_index(op.f("ix_cases_status"), "cases", ["status"])
        op.create_index(op.f("ix_cases_user_key"), "cases", ["user_key"])

    if missing("quiz_answers"):
        op.create_table(
            "quiz_answers",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("attempt_id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("quiz_id", sa.String(length=64), nullable=False),
            sa.Column("question_id", sa.String(length=64), nullable=False),
            sa.Column("option_id", sa.String(length=64), nullable=False),
            sa.Column("correct", sa.Boolean(), nullable=False),
            sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["attempt_id"],
                ["quiz_attempts.id"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_quiz_answers_attempt_id"), "quiz_answers", ["attempt_id"])
        op.create_index(op.f("ix_quiz_answers_user_key"), "quiz_answers", ["user_key"])

    if missing("case_messages"):
        op.create_table(
            "case_messages",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("author", sa.String(length=16), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=True),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(
                ["case_id"],
                ["cases.id"],
            ),
            sa.ForeignKeyConstraint(
                ["staff_id"],
                ["staff_accounts.id"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_case_messages_case_id"), "case_messages", ["case_id"])
        op.create_index(op.f("ix_case_messages_user_key"), "case_messages", ["user_key"])

    if missing("case_notes"):
        op.create_table(
            "case_notes",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["case_id"],
                ["cases.id"],
            ),
            sa.ForeignKeyConstraint(
                ["staff_id"],
                ["staff_accounts.id"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_case_notes_case_id"), "case_notes", ["case_id"])
        op.create_index(op.f("ix_case_notes_user_key"), "case_notes", ["user_key"])

    if missing("case_notifications"):
        op.create_table(
            "case_notifications",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("target", sa.String(length=16), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("last_error", sa.String(length=200), nullable=True),
            sa.ForeignKeyConstraint(
                ["case_id"],
                ["cases.id"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_case_notifications_case_id"), "case_notifications", ["case_id"])
        op.create_index(op.f("ix_case_notifications_user_key"), "case_notifications", ["user_key"])

    if missing("channel_button_payloads"):
        op.create_table(
            "channel_button_payloads",
            sa.Column("key", sa.String(length=32), nullable=False),
            sa.Column("payload", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
        op.create_index(op.f("ix_channel_button_payloads_created_at"), "channel_button_payloads", ["created_at"])

    if missing("channel_echoes"):
        op.create_table(
            "channel_echoes",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("msg_id", sa.String(length=128), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_channel_echoes_user_key"), "channel_echoes", ["user_key"])

    if missing("channel_inbox"):
        op.create_table(
            "channel_inbox",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("delivery_id", sa.String(length=128), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("event", sa.Text(), nullable=True),
            sa.Column("status", sa.String(length=8), nullable=False),
            sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
            sa.Column("leased_by", sa.String(length=64), nullable=True),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("rerun", sa.Boolean(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("platform", "delivery_id", name="uq_channel_inbox_delivery"),
        )
        op.create_index(op.f("ix_channel_inbox_received_at"), "channel_inbox", ["received_at"])
        op.create_index(op.f("ix_channel_inbox_status"), "channel_inbox", ["status"])
        op.create_index(op.f("ix_channel_inbox_user_key"), "channel_inbox", ["user_key"])

    if missing("channel_inbox_replies"):
        op.create_table(
            "channel_inbox_replies",
            sa.Column("event_id", sa.Integer(), nullable=False),
            sa.Column("reply_index", sa.Integer(), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("event_id", "reply_index"),
        )
        op.create_index(op.f("ix_channel_inbox_replies_user_key"), "channel_inbox_replies", ["user_key"])

    if missing("channel_last_message"):
        op.create_table(
            "channel_last_message",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("platform", "user_key"),
        )

    if missing("channel_undelivered"):
        op.create_table(
            "channel_undelivered",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("user_key", sa.String(length=64), nullable=False),
            sa.Column("staff_reply", sa.Boolean(), nullable=False),
            sa.Column("reason", sa.String(length=200), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_channel_undelivered_user_key"), "channel_undelivered", ["user_key"])


def downgrade() -> None:
    # Tables that others refer to go last.
    for table in [
        "channel_undelivered",
        "channel_last_message",
        "channel_inbox_replies",
        "channel_inbox",
        "channel_echoes",
        "channel_button_payloads",
        "case_notifications",
        "case_notes",
        "case_messages",
        "quiz_answers",
        "cases",
        "webchat_outbox",
        "staff_accounts",
        "quiz_attempts",
        "audit_log",
        "analytics_events",
    ]:
        op.drop_table(table)
