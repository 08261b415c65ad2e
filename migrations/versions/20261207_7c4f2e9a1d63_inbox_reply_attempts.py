"""A reply of an inbox event is recorded before it is sent, then marked sent (issue 13).

`channel_inbox_replies.at` is now when the reply was first attempted and the
new `sent_at` when the platform accepted it; a row without `sent_at` is a reply
whose fate a crash left unknown (docs/channels.md, the durable inbox). Rows
written before this revision were all sent: their `sent_at` is their `at`.

Revision ID: 7c4f2e9a1d63
Revises: 5d1e0c7a9b42
Create Date: 2026-12-07 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "7c4f2e9a1d63"
down_revision: str | None = "5d1e0c7a9b42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

replies = sa.table("channel_inbox_replies", sa.column("at", sa.DateTime), sa.column("sent_at", sa.DateTime))


def has_sent_at() -> bool:
    # The connectors create their tables when missing (channels/store.py), already with the column.
    return any(column["name"] == "sent_at" for column in sa.inspect(op.get_bind()).get_columns("channel_inbox_replies"))


def upgrade() -> None:
    if has_sent_at():
        return
    with op.batch_alter_table("channel_inbox_replies") as batch:
        batch.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(replies.update().values(sent_at=replies.c.at))


def downgrade() -> None:
    # Before this revision a row meant "sent": an attempt of unknown fate is forgotten (sent again).
    op.execute(replies.delete().where(replies.c.sent_at.is_(None)))
    with op.batch_alter_table("channel_inbox_replies") as batch:
        batch.drop_column("sent_at")
