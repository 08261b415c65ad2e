"""What the platform connectors noticed about a case's user: replies a platform refused, staff writing from elsewhere.

The connectors write these tables (and when each user last wrote); their definitions are the contract's
(contract/tables.py), read here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, select

from bot.handoff.presentation import as_utc
from bot.store import Case, Database
from contract.tables import echoes, last_messages, undelivered


@dataclass(frozen=True)
class Undelivered:
    """A reply the user's platform refused or never took after every retry."""

    at: datetime
    platform: str
    staff_reply: bool
    reason: str


@dataclass(frozen=True)
class WrittenElsewhere:
    """Staff wrote to the user from the platform's own inbox (Zalo's OA admin); the text is not kept."""

    at: datetime
    platform: str


def undelivered_since_opened(db: Database, case: Case) -> list[Undelivered]:
    rows = _connector_rows(db, undelivered, case, "at", "platform", "staff_reply", "reason")
    return [Undelivered(as_utc(at), platform, bool(staff), reason) for at, platform, staff, reason in rows]


def written_elsewhere_since_opened(db: Database, case: Case) -> list[WrittenElsewhere]:
    return [
        WrittenElsewhere(as_utc(at), platform) for at, platform in _connector_rows(db, echoes, case, "at", "platform")
    ]


def _connector_rows(db: Database, table: Table, case: Case, *columns: str) -> list:
    """Rows the channel connectors wrote about this case's user since it opened."""
    query = (
        select(*(table.c[name] for name in columns))
        .where(table.c.user_key == case.user_key, table.c.at >= case.opened_at)
        .order_by(table.c.at)
    )
    with db.session() as session:
        return session.execute(query).all()


def last_message_at(db: Database, platform: str, user_key: str) -> datetime | None:
    """When the connectors last heard from this user on this platform (None: never, or the web chat)."""
    query = select(last_messages.c.at).where(last_messages.c.platform == platform, last_messages.c.user_key == user_key)
    with db.session() as session:
        return as_utc(session.execute(query).scalar_one_or_none())
