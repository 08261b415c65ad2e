"""How Alembic reaches the application database: the connection migrations.upgrade passes in,
or, from the `alembic` command line, DATABASE_URL (the same default as the application)."""

from alembic import context
from sqlalchemy import create_engine

from migrations import models

config = context.config
# Applying revisions needs no models; comparing does (`alembic revision --autogenerate`,
# `alembic check`, both from the command line). So a process that only migrates does not import
# the bot's models.
target_metadata = models() if config.cmd_opts is not None else None


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def database_url() -> str:
    from contract.database import database_url

    return database_url()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif "connection" in config.attributes:
    run(config.attributes["connection"])
else:
    with create_engine(database_url(), future=True).connect() as connection:
        run(connection)
