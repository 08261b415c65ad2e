"""The secret registry: which secret protects what, and which process holds which.

Secrets are separate per purpose (docs/security.md): a process holds only the
ones it needs, so a compromised action server (which decodes untrusted images)
or Rasa (public webhooks) cannot forge a console session. Locally each secret
is made once and kept in var/secrets/; in production (APP_ENV=production, or
any platform token set) a missing one stops the process instead. The three
launchers (bot/__main__.py, tracker/launch.py, actions/server.py) read it here.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterable
from pathlib import Path

from contract.paths import VAR

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
        _create_once(path, secrets.token_hex(32))
    return path.read_text().strip()


def _create_once(path: Path, value: str) -> None:
    """Write `path` whole, unless another process got there first: processes starting together on
    a fresh checkout (`make run`, test workers) must all read the one value, never a half-written file."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    with open(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:  # never readable by others
        file.write(value)
    try:
        os.link(draft, path)  # atomic, and refused when the file exists
    except FileExistsError:
        pass
    finally:
        draft.unlink()
