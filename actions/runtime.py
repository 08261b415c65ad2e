"""What every action needs, made once per action-server process."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker

from bot.content import LiveContent
from bot.settings import Settings
from bot.store import Database
from contract.identity import user_key_for


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=1)
def database() -> Database:
    return Database(settings().database_url)


@lru_cache(maxsize=1)
def live_content() -> LiveContent:
    return LiveContent(settings().content_dir)


def user_key(tracker: Tracker) -> str:
    return user_key_for(tracker.sender_id, settings().secret_key)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def sent_a_screenshot(tracker: Tracker) -> bool:
    return bool((tracker.latest_message.get("metadata") or {}).get("image_url"))
