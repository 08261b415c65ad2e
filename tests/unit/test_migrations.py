"""The Alembic revisions (migrations/) build exactly the schema the code defines."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import migrations
from bot.store import Database
from channels.store import ChannelStore
from contract.tables import connector_tables as channel_tables


def engine_at(tmp_path, name="app.db"):
    return create_engine(f"sqlite:///{tmp_path / name}", future=True)


def differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), migrations.models())


def test_the_migrated_schema_equals_the_models(tmp_path):
    engine = engine_at(tmp_path)
    migrations.upgrade(engine)
    assert differences(engine) == []


def test_a_model_the_revisions_do_not_know_is_a_difference(tmp_path):
    engine = engine_at(tmp_path)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE channel_echoes")
    assert {(kind, thing.name) for kind, thing in differences(engine)} == {
        ("add_table", "channel_echoes"),
        ("add_index", "ix_channel_echoes_user_key"),
    }


def test_a_database_the_connectors_opened_first_is_migrated_by_the_bot(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    ChannelStore(url)
    Database(url)
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == migrations._head()
    assert differences(engine) == []


def test_a_database_made_before_migrations_is_adopted(tmp_path):
    """Before migrations each process created its own tables with create_all: the first revision
    creates only the missing ones and keeps what the old tables hold."""
    engine = engine_at(tmp_path)
    channel_tables.create_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO channel_last_message (platform, user_key, at) VALUES ('zalo', 'user-a', '2026-11-30')"
        )
    migrations.upgrade(engine)
    assert differences(engine) == []
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT user_key FROM channel_last_message").scalars().all() == ["user-a"]


def test_downgrade_to_base_leaves_only_alembic_bookkeeping(tmp_path):
    from alembic import command

    engine = engine_at(tmp_path)
    migrations.upgrade(engine)
    config = migrations._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]


def test_domains_listed_before_the_name_keys_get_them_so_a_resembling_domain_is_found(tmp_path):
    from alembic import command

    from bot.knownscams.store import KnownScams

    engine = engine_at(tmp_path)
    config = migrations._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "932d1d71ab65")  # the list's tables, before the domains had name keys
        connection.exec_driver_sql(
            "INSERT INTO known_scams (kind, value, value_hash, display, source, checked, note, added_by, created_at)"
            " VALUES ('domain', 'cafe-tuyendung.xyz', 'h', 'cafe-tuyendung.xyz', 'NCSC', '2026-02-20', '', 'lan',"
            " '2026-02-20 00:00:00')"
        )
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")  # migrates to the newest revision
    [found] = KnownScams(db).reports("Đăng ký tại cafe-tuyendung.top")
    assert (found.quote, found.display, found.lookalike) == ("cafe-tuyendung.top", "cafe-tuyendung.xyz", True)
