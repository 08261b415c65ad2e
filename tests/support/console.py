"""The bot service app in the test process, with a real database and no Rasa: the console's pages and rules."""

import shutil
from pathlib import Path

from starlette.testclient import TestClient

from bot.console.accounts import add_account
from bot.service import create_app
from bot.settings import Settings
from bot.store import Database
from support import ROOT

PASSWORD = "a long enough password"


def console_settings(tmp_path: Path, **overrides) -> Settings:
    """Settings of a bot service app whose database and content/ copy live in `tmp_path`."""
    if not (tmp_path / "content").exists():
        shutil.copytree(ROOT / "content", tmp_path / "content")
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        content_dir=tmp_path / "content",
        rasa_url="http://127.0.0.1:9",
        bot_service_url="http://testserver",
        secret_key="console-test-secret",
        console_session_secret="console-session-secret",
        service_token="service-token",
        **overrides,
    )


def console_client(tmp_path: Path, accounts: dict[str, str]) -> TestClient:
    """A client of a fresh bot service app whose console has these accounts (name: role), all with PASSWORD.

    `.db` is the app's database, for arranging rows and reading what a page changed."""
    settings = console_settings(tmp_path)
    db = Database(settings.database_url)
    for name, role in accounts.items():
        add_account(db, name, role, PASSWORD)
    client = TestClient(create_app(settings), follow_redirects=False)
    client.db = db
    return client
