"""Name keys for the domains already listed, so that a domain resembling one is found (docs/known-scams.md).

Data only: the keys go in the existing indexed column of known_scam_bands,
which holds each entry's index keys (the lure bands, now the domains' name
keys too). New entries get theirs when they are added (bot/knownscams/store.py).

Revision ID: 5d1e0c7a9b42
Revises: 932d1d71ab65
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5d1e0c7a9b42"
down_revision: str | None = "932d1d71ab65"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

entries = sa.table(
    "known_scams", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("value", sa.Text)
)
keys = sa.table("known_scam_bands", sa.column("entry_id", sa.Integer), sa.column("key", sa.BigInteger))


def upgrade() -> None:
    # The key function itself (pure, no model): the keys must be those the lookup computes.
    from bot.knownscams import lookalike

    connection = op.get_bind()
    domains = connection.execute(sa.select(entries.c.id, entries.c.value).where(entries.c.kind == "domain")).all()
    rows = [
        {"entry_id": entry_id, "key": key}
        for entry_id, value in domains
        if lookalike.indexed(value)
        for key in lookalike.name_keys(value)
    ]
    if rows:
        op.bulk_insert(keys, rows)


def downgrade() -> None:
    domain_ids = sa.select(entries.c.id).where(entries.c.kind == "domain")
    op.execute(keys.delete().where(keys.c.entry_id.in_(domain_ids)))
