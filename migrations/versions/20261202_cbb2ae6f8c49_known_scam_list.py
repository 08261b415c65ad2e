"""The verified list of known scam recruiters (bot/knownscams/store.py, docs/known-scams.md).

Revision ID: cbb2ae6f8c49
Revises: 63d07a4b7e3b
Create Date: 2026-12-02 09:13:46.803853
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "cbb2ae6f8c49"
down_revision: str | None = "63d07a4b7e3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_scams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("value_hash", sa.String(length=64), nullable=False),
        sa.Column("display", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("checked", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("known_scams", schema=None) as batch_op:
        batch_op.create_index("ux_known_scams_value_kind", ["value_hash", "kind"], unique=True)

    op.create_table(
        "known_scam_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["known_scams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("known_scam_bands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_scam_bands_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_known_scam_bands_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("known_scam_bands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_scam_bands_key"))
        batch_op.drop_index(batch_op.f("ix_known_scam_bands_entry_id"))

    op.drop_table("known_scam_bands")
    with op.batch_alter_table("known_scams", schema=None) as batch_op:
        batch_op.drop_index("ux_known_scams_value_kind")

    op.drop_table("known_scams")
