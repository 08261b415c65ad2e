"""Campaign analytics: the kept tallies of whole past months (bot/analytics/monthly.py, docs/analytics.md).

Revision ID: 3ba72229c49b
Revises: cbb2ae6f8c49
Create Date: 2026-12-06 21:17:30.259651
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3ba72229c49b"
down_revision: str | None = "cbb2ae6f8c49"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_monthly",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("tally", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("indicator", "month", "channel", name="uq_analytics_monthly"),
        info={"erased_with_every_user": True},
    )


def downgrade() -> None:
    op.drop_table("analytics_monthly")
