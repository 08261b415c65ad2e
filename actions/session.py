"""What the current conversation already holds: earlier messages, what the assistant already said.

A session starts with `action_session_start`; nothing before it counts, so a
person who comes back the next day is not told "as you said" about last week.
"""

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from contract.names import BOT_RESPONSE_KEY


def this_session(tracker: Tracker) -> list[dict[str, Any]]:
    events = list(tracker.events)
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return events[starts[-1] + 1 :] if starts else events


def earlier_user_texts(tracker: Tracker) -> str:
    """Everything the user typed in this session before the latest message, one per line."""
    texts = [e.get("text") or "" for e in this_session(tracker) if e.get("event") == "user"]
    return "\n".join(t for t in texts[:-1] if not t.startswith("/"))


def latest_said(tracker: Tracker, responses: Iterable[str]) -> str | None:
    """Which of these responses the assistant sent last in this session, before the latest user message."""
    names = set(responses)
    events = this_session(tracker)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    before = events[: users[-1]] if users else events
    said = [(e.get("metadata") or {}).get(BOT_RESPONSE_KEY) for e in before if e.get("event") == "bot"]
    return next((name for name in reversed(said) if name in names), None)


def bot_said_before(tracker: Tracker, responses: Iterable[str]) -> bool:
    """Did the assistant send one of these responses in this session before the latest user message?"""
    return latest_said(tracker, responses) is not None
