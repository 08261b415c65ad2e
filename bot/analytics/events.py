"""The analytics table and the one small function per event kind that writes it.

A row carries only categories: no text, no platform id. Every row about a
person has `monthly_key` (bot.store.monthly_key_for: the user_key hashed again
with the month), so one month's rows cannot be joined to another's, and every
figure can be suppressed on the number of *people* behind it (one person
retaking a quiz six times is still one person). Content problems are about the
content, not a person, and carry none. erase_user in bot/store.py deletes the
rows month by month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Index, Integer, String, UniqueConstraint, delete
from sqlalchemy.orm import Session

from bot.handoff.states import Reason
from bot.offers.checker import RISK_ORDER
from bot.store import ERASED_WITH_EVERY_USER, Base, Database, monthly_key_for, utcnow

DEFAULT_RETENTION_MONTHS = 24
VERDICTS = frozenset(RISK_ORDER)  # the offer checker's risk levels
OFFER_INPUTS = frozenset({"text", "screenshot"})
WEB_CHAT = "rest"  # Rasa's name for the web chat's channel
HANDOFF_REASONS = frozenset({Reason.DANGER, Reason.REQUEST})


class AnalyticsEvent(Base):
    __tablename__ = "analytics_events"

    id = Column(Integer, primary_key=True)
    kind = Column(String(24), nullable=False)
    hour = Column(DateTime(timezone=True), nullable=False)  # truncated to the hour
    day = Column(Date, nullable=False)  # derived from hour: grouping without dialect date functions
    week = Column(String(8), nullable=False)  # ISO week, "2026-W45"
    month = Column(String(7), nullable=False)  # "2026-11": the key of monthly_key
    channel = Column(String(32), nullable=False)
    monthly_key = Column(String(32))  # on every kind about a person
    subject = Column(String(64))  # verdict | sign id | quiz id | situation | reason | problem
    item = Column(String(64))  # offer input | question id | hand-off outcome
    correct = Column(Boolean)  # quiz answer
    number = Column(Integer)  # quiz score | seconds to claim / to first reply
    total = Column(Integer)  # quiz questions
    attempt = Column(Integer)  # 1 = first attempt at this quiz, 2+ = a retake

    __table_args__ = (
        # Every indicator filters on kind and a date range: covering indexes keep 1M rows under a second.
        Index("ix_analytics_kind_day", "kind", "day", "channel", "subject", "item"),
        Index("ix_analytics_kind_people", "kind", "day", "channel", "week", "monthly_key"),
        Index("ix_analytics_month", "month", "monthly_key"),
    )


class MonthlyTally(Base):
    """One indicator's counts for one whole past month and channel ("" = every channel): bot/analytics/monthly.py."""

    __tablename__ = "analytics_monthly"

    id = Column(Integer, primary_key=True)
    indicator = Column(String(32), nullable=False)
    month = Column(String(7), nullable=False)
    channel = Column(String(32), nullable=False)
    tally = Column(JSON, nullable=False)  # [[row key, numbers], ...]: counts, no keys

    __table_args__ = (
        UniqueConstraint("indicator", "month", "channel", name="uq_analytics_monthly"),
        # Counts of people, though no key: erasing anyone deletes them all (they are made again on demand).
        {"info": {ERASED_WITH_EVERY_USER: True}},
    )


def _check(name: str, value, allowed: Iterable | None = None, required: bool = True) -> None:
    if value is None or value == "":
        if required:
            raise ValueError(f"analytics: {name} is required")
        return
    if allowed is not None and value not in allowed:
        raise ValueError(f"analytics: {name}={value!r} is not one of {sorted(allowed)}")
    if isinstance(value, str) and len(value) > 64:
        raise ValueError(f"analytics: {name} is longer than an id")


def _seconds(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"analytics: {name} must be a whole number of seconds >= 0")


def channel_of(conversation_id: str) -> str:
    """The channel a conversation is on, from its id: connectors prefix theirs ("zalo:123"); the web chat's
    have none and its Rasa channel is called "rest", as in cases.channel (bot/handoff/presentation.py)."""
    platform, sep, _ = conversation_id.partition(":")
    return platform if sep and platform else WEB_CHAT


@dataclass
class Recorder:
    """What the actions and the bot service call.

    With a database, each call is one short transaction; with a session
    (`Recorder.within`), the row joins the caller's transaction, so a hand-off
    event exists exactly when the change it counts was committed.
    """

    db: Database | None = None
    session: Session | None = None

    @classmethod
    def within(cls, session: Session) -> Recorder:
        return cls(session=session)

    def conversation_started(self, channel: str, user_key: str, at: datetime | None = None) -> None:
        self._add("conversation", channel, at, user_key)

    def offer_checked(
        self, channel: str, user_key: str, verdict: str, source: str, sign_ids: list[str], at: datetime | None = None
    ) -> None:
        _check("verdict", verdict, VERDICTS)
        _check("source", source, OFFER_INPUTS)
        for sign in sign_ids:
            _check("sign id", sign)
        self._add("offer", channel, at, user_key, subject=verdict, item=source)
        for sign in dict.fromkeys(sign_ids):  # a sign counts once per check
            self._add("offer_sign", channel, at, user_key, subject=sign)

    def quiz_started(self, channel: str, user_key: str, quiz_id: str, attempt: int, at: datetime | None = None) -> None:
        _check("quiz id", quiz_id)
        self._attempt(attempt)
        self._add("quiz_start", channel, at, user_key, subject=quiz_id, attempt=attempt)

    def quiz_answered(
        self, channel: str, user_key: str, quiz_id: str, question_id: str, correct: bool, at: datetime | None = None
    ) -> None:
        _check("quiz id", quiz_id)
        _check("question id", question_id)
        if not isinstance(correct, bool):
            raise ValueError("analytics: correct must be True or False")
        self._add("quiz_answer", channel, at, user_key, subject=quiz_id, item=question_id, correct=correct)

    def quiz_completed(
        self,
        channel: str,
        user_key: str,
        quiz_id: str,
        score: int,
        total: int,
        attempt: int,
        at: datetime | None = None,
    ) -> None:
        _check("quiz id", quiz_id)
        self._attempt(attempt)
        if not (isinstance(total, int) and total > 0 and isinstance(score, int) and 0 <= score <= total):
            raise ValueError("analytics: a quiz score is 0..total with total > 0")
        self._add("quiz_done", channel, at, user_key, subject=quiz_id, number=score, total=total, attempt=attempt)

    def referral_given(self, channel: str, user_key: str, situation: str, at: datetime | None = None) -> None:
        _check("situation", situation)
        self._add("referral", channel, at, user_key, subject=situation)

    def handoff_opened(self, channel: str, user_key: str, reason: str, at: datetime | None = None) -> None:
        _check("reason", reason, HANDOFF_REASONS)
        self._add("handoff", channel, at, user_key, subject=reason)

    def handoff_claimed(self, channel: str, user_key: str, seconds_to_claim: int, at: datetime | None = None) -> None:
        _seconds("seconds_to_claim", seconds_to_claim)
        self._add("handoff_claim", channel, at, user_key, number=seconds_to_claim)

    def handoff_first_reply(
        self, channel: str, user_key: str, seconds_to_reply: int, at: datetime | None = None
    ) -> None:
        _seconds("seconds_to_reply", seconds_to_reply)
        self._add("handoff_reply", channel, at, user_key, number=seconds_to_reply)

    def handoff_closed(self, channel: str, user_key: str, outcome: str, at: datetime | None = None) -> None:
        _check("outcome", outcome)
        self._add("handoff_close", channel, at, user_key, item=outcome)

    def content_problem(self, channel: str, problem: str, at: datetime | None = None) -> None:
        _check("problem", problem)
        self._add("content_problem", channel, at, subject=problem)

    @staticmethod
    def _attempt(attempt: int) -> None:
        if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
            raise ValueError("analytics: attempt is 1 for a first attempt, 2+ for a retake")

    def _add(self, kind: str, channel: str, at: datetime | None, user_key: str | None = None, **fields) -> None:
        _check("channel", channel)
        at = at or utcnow()
        key = monthly_key_for(user_key, month_of(at)) if user_key else None
        event = AnalyticsEvent(kind=kind, channel=channel, monthly_key=key, **time_fields(at), **fields)
        if self.session is not None:
            _write(self.session, event)
            return
        assert self.db is not None, "a Recorder writes to a database or into a session"
        with self.db.session() as session:
            _write(session, event)


def _write(session: Session, event: AnalyticsEvent) -> None:
    session.add(event)
    if event.month < month_of(utcnow()):  # a backfill into a past month: its kept tallies are out of date
        session.execute(delete(MonthlyTally).where(MonthlyTally.month == event.month))


def month_of(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m")


def time_fields(at: datetime) -> dict:
    hour = at.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    year, week, _ = hour.isocalendar()
    return {"hour": hour, "day": hour.date(), "week": f"{year}-W{week:02d}", "month": month_of(hour)}


def purge(db: Database, months: int = DEFAULT_RETENTION_MONTHS, today: date | None = None) -> int:
    """Delete rows older than `months` whole calendar months before this month; returns how many went."""
    today = today or utcnow().date()
    index = today.year * 12 + today.month - 1 - months
    cutoff = date(index // 12, index % 12 + 1, 1)
    with db.session() as session:
        session.execute(delete(MonthlyTally).where(MonthlyTally.month < cutoff.strftime("%Y-%m")))
        return session.execute(delete(AnalyticsEvent).where(AnalyticsEvent.day < cutoff)).rowcount
