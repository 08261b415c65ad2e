"""Who a user is, as every process names them: the keyed `user_key`.

No row and no log line holds a platform user id in clear. The bot service and
the action server get the key (APP_SECRET_KEY) through their settings; the
connectors, which run inside Rasa and have no settings object, read it from
the environment once (`app_secret_key`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache

APP_SECRET_KEY = "APP_SECRET_KEY"
USER_KEY_LENGTH = 32  # hex characters of the HMAC kept: 128 bits


def user_key_for(sender_id: str, secret_key: str) -> str:
    """The pseudonymous reference to a user that every table stores."""
    return hmac.new(secret_key.encode(), sender_id.encode(), hashlib.sha256).hexdigest()[:USER_KEY_LENGTH]


@lru_cache(maxsize=1)
def _read_app_secret_key() -> str:
    return os.environ[APP_SECRET_KEY]


def app_secret_key() -> str:
    """APP_SECRET_KEY from the environment, read once per process; KeyError when it is not set
    (an enabled connector has it: channels.core.WebhookInput). An absent key is not remembered,
    so it is found once set."""
    return _read_app_secret_key()


def has_app_secret_key() -> bool:
    try:
        return bool(app_secret_key())
    except KeyError:
        return False


def forget_app_secret_key() -> None:
    """Read APP_SECRET_KEY again on next use: for tests that change the environment."""
    _read_app_secret_key.cache_clear()
