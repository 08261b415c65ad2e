"""Settings read from the environment, with local defaults (SQLite under var/).

Secrets are separate per purpose (docs/security.md): a process holds only the
ones it needs, so a compromised action server (which decodes untrusted images)
or Rasa (public webhooks) cannot forge a console session. Locally each secret
is made once and kept in var/secrets/; in production (APP_ENV=production, or
any platform token set) a missing one stops the process instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"

# Environment variable → what it protects. bot/localrun.py hands each process
# only the ones PROCESS_SECRETS names for it.
SECRET_PURPOSES = {
    "APP_SECRET_KEY": "keyed hash turning platform user ids into the pseudonymous user_key",
    "CONSOLE_SESSION_SECRET": "signs the staff console's session cookies",
    "RASA_JWT_SECRET": "Rasa's HTTP API (the bot service passes staff replies on with it)",
    "ACTION_SERVER_TOKEN": "Rasa's calls to the action server",
    "SERVICE_TOKEN": "calls from Rasa and the action server to the bot service's internal routes (/nlg, /uploads)",
    "WEBCHAT_CHANNEL_SECRET": "the bot service's calls to Rasa's web chat channel",
}
PROCESS_SECRETS = {
    "rasa": ("APP_SECRET_KEY", "RASA_JWT_SECRET", "ACTION_SERVER_TOKEN", "SERVICE_TOKEN", "WEBCHAT_CHANNEL_SECRET"),
    "actions": ("APP_SECRET_KEY", "ACTION_SERVER_TOKEN", "SERVICE_TOKEN"),
    "bot": ("APP_SECRET_KEY", "CONSOLE_SESSION_SECRET", "RASA_JWT_SECRET", "SERVICE_TOKEN", "WEBCHAT_CHANNEL_SECRET"),
}
# Any of these means real users can reach the assistant.
PLATFORM_TOKENS = (
    "TELEGRAM_BOT_TOKEN",
    "ZALO_APP_ID",
    "ZALO_ACCESS_TOKEN",
    "MESSENGER_PAGE_TOKEN",
    "MESSENGER_APP_SECRET",
)
# The old single local secret keeps its file, so local pseudonyms stay the same.
_LOCAL_FILES = {"APP_SECRET_KEY": "secret_key"}


class MissingSecret(SystemExit):
    def __init__(self, names: Iterable[str]) -> None:
        lines = [f"  {name}: {SECRET_PURPOSES[name]}" for name in names]
        super().__init__(
            "Production needs these secrets set in the environment (each its own random value, "
            "e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`):\n" + "\n".join(lines)
        )


def is_production() -> bool:
    return os.environ.get("APP_ENV") == "production" or any(os.environ.get(name) for name in PLATFORM_TOKENS)


def secret(name: str) -> str:
    """The secret for one purpose; locally made once and kept in var/secrets/, in production '' if unset."""
    value = os.environ.get(name, "")
    if value or is_production():
        return value
    return _local_secret(name)


def require_secrets(process: str) -> None:
    """Stop a production process that lacks a secret it needs, naming each one."""
    missing = [name for name in PROCESS_SECRETS[process] if not secret(name)]
    if missing:
        raise MissingSecret(missing)


def _local_secret(name: str) -> str:
    folder = VAR / "secrets"
    path = VAR / _LOCAL_FILES[name] if name in _LOCAL_FILES else folder / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


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
            database_url=os.environ.get("DATABASE_URL", f"sqlite:///{VAR / 'app.db'}"),
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
        )
