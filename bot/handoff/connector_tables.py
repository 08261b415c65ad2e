"""What the platform connectors noticed about a case's user: replies a platform refused, staff writing from elsewhere.

The connectors write these tables (channels/store.py), which bot/ may not
import: they are read here, and only here, by reflection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoSuchTableError

from bot.handoff.presentation import as_utc
from bot.store import Case, Database

# Written by the channel connectors (channels/store.py), which bot/ may not import.
UNDELIVERED_TABLE = "channel_undelivered"
ECHOES_TABLE = "channel_echoes"


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
    rows = _connector_rows(db, UNDELIVERED_TABLE, case, "at", "platform", "staff_reply", "reason")
    return [Undelivered(as_utc(at), platform, bool(staff), reason) for at, platform, staff, reason in rows]


def written_elsewhere_since_opened(db: Database, case: Case) -> list[WrittenElsewhere]:
    return [
        WrittenElsewhere(as_utc(at), platform)
        for at, platform in _connector_rows(db, ECHOES_TABLE, case, "at", "platform")
    ]


@cache
def _connector_table(engine: Engine, table_name: str) -> Table:
    # Read once per process: the case page asks every 2 s. A table not there
    # yet raises, which lru_cache does not remember, so it is found once made.
    return Table(table_name, MetaData(), autoload_with=engine)


def _connector_rows(db: Database, table_name: str, case: Case, *columns: str) -> list:
    try:
        table = _connector_table(db.engine, table_name)
    except NoSuchTableError:
        return []  # no connector has run on this database: the web chat alone
    query = (
        select(*(table.c[name] for name in columns))
        .where(table.c.user_key == case.user_key, table.c.at >= case.opened_at)
        .order_by(table.c.at)
    )
    with db.session() as session:
        return session.execute(query).all()
