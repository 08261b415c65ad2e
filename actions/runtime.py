"""What every action needs, made once per action-server process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from rasa_sdk import Tracker
from sqlalchemy.exc import SQLAlchemyError

from bot.analytics.events import Recorder, channel_of
from bot.content import LiveContent
from bot.settings import Settings
from bot.store import Database
from contract.identity import user_key_for

Part = TypeVar("Part")
log = logging.getLogger(__name__)


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


@lru_cache(maxsize=1)
def recorder() -> Recorder:
    return Recorder(database())


def count(tracker: Tracker, record: Callable[[Recorder, str, str], None]) -> None:
    """One analytics event for this conversation: `record(recorder, channel, user_key)`.

    Counting never stands between a person and their answer: a failure is
    logged by its type alone (the values may come from the conversation) and
    the turn goes on.
    """
    try:
        record(recorder(), channel_of(tracker.sender_id), user_key(tracker))
    except (SQLAlchemyError, ValueError) as error:
        log.warning("analytics event not recorded (%s)", type(error).__name__)


def required(part: Part | None, file: str) -> Part:
    """A part of content/ an action cannot run without: without it the deployment is broken, say which file."""
    if part is None:
        raise LookupError(f"content/{file} did not load")
    return part


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def sent_a_screenshot(tracker: Tracker) -> bool:
    return bool((tracker.latest_message.get("metadata") or {}).get("image_url"))
