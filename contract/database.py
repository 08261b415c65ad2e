"""The application database every process opens: where it is by default, and how an engine is made.

The bot service, the action server and the connectors in Rasa share one
database (DATABASE_URL); Rasa's tracker store has its own (TRACKER_STORE_URL).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import QueuePool

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
    engine = create_engine(url, future=True, hide_parameters=True, **sqlite_engine_options(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_engine_options(url: str | URL) -> dict[str, Any]:
    """For a SQLite file: connections kept in a pool (SQLAlchemy 1.4 opens one per use), each set up by sqlite_pragmas.

    The pool hands a connection to one thread at a time, so the threads that run
    the connectors' database calls may share them.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return {}
    return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}


def sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Every SQLite connection of every process: listened to on "connect" (see make_engine)."""
    cursor = connection.cursor()
    # WAL lets the bot service read while the action server or a connector writes;
    # each waits for the others' writes instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # In WAL mode a commit is in the log file before it returns: a killed process
    # loses nothing it committed (the durable inbox's promise). NORMAL only skips
    # waiting for the disk at each commit, so a power cut can lose the last few;
    # production runs on PostgreSQL.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # SQLite leaves foreign keys unchecked unless asked, on every connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
