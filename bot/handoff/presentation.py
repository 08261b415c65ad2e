"""How cases are shown to staff: channel names, the reply window, the optional answers, times in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final, overload

from bot.store import Case, utcnow
from contract.limits import MessengerLimit, ZaloLimit

# How staff know the channels: Rasa calls the web chat's "rest".
CHANNEL_NAMES = {"rest": "Web chat", "zalo": "Zalo", "telegram": "Telegram", "messenger": "Messenger"}

# How long after the user's last message a reply can still reach them, per
# platform: free, then only at a cost or with Meta's permission, then not at all
# (contract/limits.py, docs/channels.md).
REPLY_WINDOWS = {
    # then paid through a Zalo Cloud Account
    "zalo": (timedelta(hours=ZaloLimit.FREE_REPLY_HOURS), timedelta(days=ZaloLimit.REPLY_DAYS)),
    # then only with the HUMAN_AGENT tag
    "messenger": (
        timedelta(hours=MessengerLimit.STANDARD_WINDOW_HOURS),
        timedelta(days=MessengerLimit.HUMAN_AGENT_DAYS),
    ),
}
FREE: Final = "free"
LIMITED: Final = "limited"
CLOSED_WINDOW: Final = "closed"


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class ReplyWindow:
    """Whether a staff reply can still be delivered free, only in a limited way, or not at all."""

    platform: str
    state: str
    free_until: datetime
    last_until: datetime


def reply_window(case: Case, now: datetime | None = None) -> ReplyWindow | None:
    """The case's reply window, or None on a platform without one (Telegram, the web chat)."""
    window = REPLY_WINDOWS.get(case.channel)
    wrote = as_utc(case.last_user_message_at or case.opened_at)
    if window is None or wrote is None:
        return None
    now = now or utcnow()
    free_until, last_until = wrote + window[0], wrote + window[1]
    state = FREE if now < free_until else LIMITED if now < last_until else CLOSED_WINDOW
    return ReplyWindow(case.channel, state, free_until, last_until)


def answers_for_staff(case: Case, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The optional answers with the labels staff know them by, in the questions' order."""
    return [(label, case.answers[qid]) for qid, label in labels.items() if qid in case.answers]
