"""Settings read from the environment, with local defaults (SQLite under var/)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def _console_on_localhost() -> bool:
    """Where the console is served: CONSOLE_URL if set, else BOT_SERVICE_URL (the console is under it)."""
    url = os.environ.get("CONSOLE_URL") or os.environ.get("BOT_SERVICE_URL", "http://127.0.0.1:8000")
    return urlsplit(url).hostname in LOCAL_HOSTS


def _secure_cookies() -> bool:
    """CONSOLE_SECURE_COOKIES=1/0 decides; unset, HTTPS-only cookies everywhere but localhost."""
    explicit = os.environ.get("CONSOLE_SECURE_COOKIES", "")
    if explicit in ("0", "1"):
        return explicit == "1"
    return not _console_on_localhost()


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
    # Rasa's HTTP API, which the bot service uses to pass staff replies on; never exposed outside.
    rasa_api_token: str = ""
    # Where a new case is announced: a Telegram staff group and/or a webhook.
    telegram_bot_token: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    staff_telegram_chat_id: str = ""
    staff_webhook_url: str = ""
    staff_webhook_secret: str = ""
    console_url: str = ""
    # Send the console's session cookie over HTTPS only (on wherever it is not localhost).
    secure_cookies: bool = False
    # Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For the console believes; none by default.
    console_trusted_proxies: Tuple[str, ...] = ()

    @property
    def notify_targets(self) -> List[str]:
        targets = []
        if self.telegram_bot_token and self.staff_telegram_chat_id:
            targets.append("telegram")
        if self.staff_webhook_url:
            targets.append("webhook")
        return targets

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("DATABASE_URL", f"sqlite:///{VAR / 'app.db'}"),
            content_dir=Path(os.environ.get("CONTENT_DIR", ROOT / "content")),
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            bot_service_url=os.environ.get("BOT_SERVICE_URL", "http://127.0.0.1:8000"),
            secret_key=os.environ.get("APP_SECRET_KEY") or _local_secret(),
            rasa_api_token=os.environ.get("RASA_API_TOKEN", ""),
            telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_api_base=os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org"),
            staff_telegram_chat_id=os.environ.get("STAFF_TELEGRAM_CHAT_ID", ""),
            staff_webhook_url=os.environ.get("STAFF_WEBHOOK_URL", ""),
            staff_webhook_secret=os.environ.get("STAFF_WEBHOOK_SECRET", ""),
            console_url=os.environ.get("CONSOLE_URL", ""),
            secure_cookies=_secure_cookies(),
            console_trusted_proxies=tuple(
                p.strip() for p in os.environ.get("CONSOLE_TRUSTED_PROXIES", "").split(",") if p.strip()
            ),
        )
