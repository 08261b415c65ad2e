"""Settings read from the environment, with local defaults (SQLite under var/).

Each secret comes from the registry in contract/secrets.py (which process
holds which, made locally once, required in production).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from contract.database import database_url
from contract.paths import ROOT
from contract.secrets import secret


def _is_local_address(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    return host in ("localhost", "127.0.0.1", "::1", "testserver")


@dataclass(frozen=True)
class Settings:
    database_url: str
    content_dir: Path
    rasa_url: str
    bot_service_url: str
    # The pseudonym key (APP_SECRET_KEY): user_key = HMAC(secret_key, sender id).
    secret_key: str
    console_session_secret: str = ""
    # Rasa's HTTP API, which the bot service uses to pass staff replies on; never exposed outside.
    rasa_jwt_secret: str = ""
    service_token: str = ""
    webchat_channel_secret: str = ""
    # Where a new case is announced: a Telegram staff group and/or a webhook.
    telegram_bot_token: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    staff_telegram_chat_id: str = ""
    staff_webhook_url: str = ""
    staff_webhook_secret: str = ""
    console_url: str = ""
    # Send the console's session cookie over HTTPS only: on unless the console is on this machine.
    secure_cookies: bool = False
    # Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For the console believes; none by default.
    trusted_proxies: tuple[str, ...] = ()
    # Analytics events older than this many whole months are deleted (bot/analytics/events.py purge).
    analytics_retention_months: int = 24

    @property
    def notify_targets(self) -> list[str]:
        targets = []
        if self.telegram_bot_token and self.staff_telegram_chat_id:
            targets.append("telegram")
        # Never "signed" with an empty key: a webhook without its secret is not used.
        if self.staff_webhook_url and self.staff_webhook_secret:
            targets.append("webhook")
        return targets

    @classmethod
    def from_env(cls) -> Settings:
        bot_service_url = os.environ.get("BOT_SERVICE_URL", "http://127.0.0.1:8000")
        console_url = os.environ.get("CONSOLE_URL", "")
        secure_default = "0" if _is_local_address(console_url or bot_service_url) else "1"
        return cls(
            database_url=database_url(),
            content_dir=Path(os.environ.get("CONTENT_DIR", ROOT / "content")),
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            bot_service_url=bot_service_url,
            secret_key=secret("APP_SECRET_KEY"),
            console_session_secret=secret("CONSOLE_SESSION_SECRET"),
            rasa_jwt_secret=secret("RASA_JWT_SECRET"),
            service_token=secret("SERVICE_TOKEN"),
            webchat_channel_secret=secret("WEBCHAT_CHANNEL_SECRET"),
            telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_api_base=os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org"),
            staff_telegram_chat_id=os.environ.get("STAFF_TELEGRAM_CHAT_ID", ""),
            staff_webhook_url=os.environ.get("STAFF_WEBHOOK_URL", ""),
            staff_webhook_secret=os.environ.get("STAFF_WEBHOOK_SECRET", ""),
            console_url=console_url,
            secure_cookies=os.environ.get("CONSOLE_SECURE_COOKIES", secure_default) == "1",
            trusted_proxies=tuple(p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()),
            analytics_retention_months=int(os.environ.get("ANALYTICS_RETENTION_MONTHS", "24")),
        )
