"""Settings read from the environment, with local defaults (SQLite under var/)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


def _local_secret() -> str:
    """A per-machine secret for local runs, kept in var/ so restarts agree."""
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    database_url: str
    content_dir: Path
    rasa_url: str
    bot_service_url: str
    secret_key: str

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("DATABASE_URL", f"sqlite:///{VAR / 'app.db'}"),
            content_dir=Path(os.environ.get("CONTENT_DIR", ROOT / "content")),
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            bot_service_url=os.environ.get("BOT_SERVICE_URL", "http://127.0.0.1:8000"),
            secret_key=os.environ.get("APP_SECRET_KEY") or _local_secret(),
        )
