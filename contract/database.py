"""The application database every process opens: where it is by default, and how an engine is made.

The bot service, the action server and the connectors in Rasa share one
database (DATABASE_URL); Rasa's tracker store has its own (TRACKER_STORE_URL).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from contract.paths import VAR

DEFAULT_DATABASE_URL = f"sqlite:///{VAR / 'app.db'}"
# Relative to where Rasa runs (the repository root): Rasa's own default place.
DEFAULT_TRACKER_STORE_URL = "sqlite:///var/tracker.db"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def tracker_store_url() -> str:
    return os.environ.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_STORE_URL


def make_engine(url: str) -> Engine:
    """The one way a process opens the application database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: a failed statement is logged without its values (user keys, texts).
    engine = create_engine(url, future=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets the bot service read while the action server or a connector writes;
    # each waits for the others' writes instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # SQLite leaves foreign keys unchecked unless asked, on every connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
