"""Alembic revisions of the application database (`DATABASE_URL`), and the one function that applies them.

One history for every table in that database: the bot's models (bot.store,
bot.analytics) and the channel connectors' tables (contract/tables.py). The bot
service, the action server and `make run` bring the schema to the newest
revision when they open the database (bot.store.Database); the connectors in
Rasa only create their own tables when missing (channels.store, which may import
only contract/), and the first revision adopts tables that already exist; at deploy, run
`python -m bot db upgrade` first (README.md, "The database schema").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent
# Any fixed number: PostgreSQL's advisory lock that lets one process at a time migrate.
UPGRADE_LOCK = 172_000_017


def models() -> list[MetaData]:
    """Every table the revisions must create, as the code defines them (for autogenerate and the test)."""
    import bot.analytics.events  # noqa: F401  (registers analytics_events on bot.store.Base)
    import bot.knownscams.feedback  # noqa: F401  (registers the feedback on verdicts)
    import bot.knownscams.reports  # noqa: F401  (registers the reports and their subscriptions)
    import bot.knownscams.store  # noqa: F401  (registers the known-scam list's tables)
    from bot.store import Base
    from contract.tables import connector_tables

    return [Base.metadata, connector_tables]


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; cheap when it is there already."""
    with engine.connect() as connection:
        if _current(connection) == _head():
            return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Processes starting together on an empty database: the others wait, then find it done.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        from alembic import command

        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def upgrade_url(url: str) -> str | None:
    """`upgrade` for a database named by URL (deploy, local start); returns the revision it is at."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            return _current(connection)
    finally:
        engine.dispose()


def _config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def _head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def _current(connection: Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
