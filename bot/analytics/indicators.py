"""The indicators campaign staff read, each a list of rows (dicts) for a date range and channel.

Every cell that counts people or events goes through `suppress`, every share,
mean or percentile through `stat_of` or `share`: a cell resting on fewer than
SMALL people shows "<5". Indicators live in one registry, INDICATORS, which
the dashboard, the report and the suppression test all iterate, so a new
indicator cannot skip the test. Definitions: docs/analytics.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from bot.analytics.events import AnalyticsEvent as E
from contract.tables import undelivered

SMALL = 5
HIDDEN = "<5"
TOP_SIGNS = 10
Cell = int | float | str | None
Row = dict[str, Cell]


def suppress(count: int, people: int | None = None) -> int | str:
    """The one small-number rule: a count below 5, or resting on fewer than 5 people, is "<5"."""
    return HIDDEN if count < SMALL or (people is not None and people < SMALL) else count


def stat_of(people: int, value: float | None) -> float | str | None:
    """A mean or percentile is shown only when it rests on at least 5 people."""
    return HIDDEN if people < SMALL else (None if value is None else round(value, 1))


def share(part: int, whole: int, people: int) -> float | str:
    """A percentage, hidden when the part, the rest or the people are few (any would give it away)."""
    if part < SMALL or whole - part < SMALL or people < SMALL:
        return HIDDEN
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class Filters:
    start: date  # first day, inclusive (UTC)
    end: date  # last day, inclusive (UTC)
    channel: str | None = None  # None: every channel


def _where(query, filters: Filters, kind: str):
    query = query.where(E.kind == kind, E.day >= filters.start, E.day <= filters.end)
    return query.where(E.channel == filters.channel) if filters.channel else query


INDICATORS: dict[str, Callable[[Session, Filters], list[Row]]] = {}


def indicator(function):
    INDICATORS[function.__name__] = function
    return function


def _people_by(session: Session, filters: Filters, period) -> list[Row]:
    # Reach counts a person once per period and channel, across every kind that carries a key.
    query = (
        select(period, E.channel, func.count(distinct(E.monthly_key)))
        .where(E.monthly_key.isnot(None), E.day >= filters.start, E.day <= filters.end)
        .group_by(period, E.channel)
        .order_by(period, E.channel)
    )
    if filters.channel:
        query = query.where(E.channel == filters.channel)
    return [{"period": str(p), "channel": channel, "people": suppress(n)} for p, channel, n in session.execute(query)]


@indicator
def reach_daily(session: Session, filters: Filters) -> list[Row]:
    return _people_by(session, filters, E.day)


@indicator
def reach_weekly(session: Session, filters: Filters) -> list[Row]:
    return _people_by(session, filters, E.week)


def _count_by(session: Session, filters: Filters, kind: str, column, label: str, people: bool = True) -> list[Row]:
    """Events and distinct people per value of `column`; people=False only for kinds about no person."""
    counted = func.count(distinct(E.monthly_key)) if people else func.count()
    query = (
        _where(select(column, func.count(), counted), filters, kind)
        .group_by(column)
        .order_by(func.count().desc(), column)
    )
    rows = []
    for value, n, distinct_people in session.execute(query):
        row: Row = {label: value, "count": suppress(n, distinct_people)}
        if people:
            row["people"] = suppress(distinct_people)
        rows.append(row)
    return rows


@indicator
def conversations_started(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "conversation", E.channel, "channel")


@indicator
def offers_by_verdict(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "offer", E.subject, "verdict")


@indicator
def offer_inputs(session: Session, filters: Filters) -> list[Row]:
    """Screenshots against pasted text."""
    return _count_by(session, filters, "offer", E.item, "source")


@indicator
def top_warning_signs(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "offer_sign", E.subject, "sign")[:TOP_SIGNS]


@indicator
def referrals_by_situation(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "referral", E.subject, "situation")


@indicator
def handoffs_by_reason(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "handoff", E.subject, "reason")


@indicator
def handoff_outcomes(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "handoff_close", E.item, "outcome")


@indicator
def content_problems(session: Session, filters: Filters) -> list[Row]:
    return _count_by(session, filters, "content_problem", E.subject, "problem", people=False)


@indicator
def quizzes(session: Session, filters: Filters) -> list[Row]:
    people = func.count(distinct(E.monthly_key))
    query = _where(select(E.subject, func.count(), people), filters, "quiz_start").group_by(E.subject)
    starts = {quiz: (n, p) for quiz, n, p in session.execute(query)}
    query = _where(
        select(E.subject, func.count(), people, func.avg(100.0 * E.number / E.total)), filters, "quiz_done"
    ).group_by(E.subject)
    done = {quiz: (n, p, mean) for quiz, n, p, mean in session.execute(query)}
    rows = []
    for quiz in sorted(set(starts) | set(done)):
        started, starters = starts.get(quiz, (0, 0))
        n, completers, mean = done.get(quiz, (0, 0, None))
        rows.append(
            {
                "quiz": quiz,
                "starts": suppress(started, starters),
                "people_starting": suppress(starters),
                "completions": suppress(n, completers),
                "people_completing": suppress(completers),
                "average_score_percent": stat_of(completers, mean),
            }
        )
    return rows


@indicator
def question_error_rates(session: Session, filters: Filters) -> list[Row]:
    wrong = E.correct.is_(False)
    query = (
        _where(
            select(
                E.subject,
                E.item,
                func.count(),
                func.count(distinct(E.monthly_key)),
                func.sum(case((wrong, 1), else_=0)),
                func.count(distinct(case((wrong, E.monthly_key)))),
            ),
            filters,
            "quiz_answer",
        )
        .group_by(E.subject, E.item)
        .order_by(E.subject, E.item)
    )
    return [
        {
            "quiz": quiz,
            "question": question,
            "answers": suppress(n, people),
            "people": suppress(people),
            "wrong": suppress(n_wrong, people_wrong),
            "error_rate_percent": share(n_wrong, n, min(people, people_wrong)),
        }
        for quiz, question, n, people, n_wrong, people_wrong in session.execute(query)
    ]


@indicator
def knowledge_gain(session: Session, filters: Filters) -> list[Row]:
    """Mean score of first attempts against mean score of later retakes of the same quiz (not paired)."""
    retake = E.attempt > 1
    query = _where(
        select(
            E.subject, retake, func.count(), func.count(distinct(E.monthly_key)), func.avg(100.0 * E.number / E.total)
        ),
        filters,
        "quiz_done",
    ).group_by(E.subject, retake)
    by_quiz: dict[str, dict[bool, tuple]] = {}
    for quiz, is_retake, n, people, mean in session.execute(query):
        by_quiz.setdefault(quiz, {})[bool(is_retake)] = (n, people, mean)
    rows = []
    for quiz, groups in sorted(by_quiz.items()):
        first_n, first_people, first_mean = groups.get(False, (0, 0, None))
        retake_n, retake_people, retake_mean = groups.get(True, (0, 0, None))
        both = min(first_people, retake_people) >= SMALL
        rows.append(
            {
                "quiz": quiz,
                "first_attempts": suppress(first_n, first_people),
                "first_score_percent": stat_of(first_people, first_mean),
                "retakes": suppress(retake_n, retake_people),
                "retake_score_percent": stat_of(retake_people, retake_mean),
                "gain_points": round(retake_mean - first_mean, 1) if both else HIDDEN,
            }
        )
    return rows


@indicator
def handoff_times(session: Session, filters: Filters) -> list[Row]:
    rows = []
    for kind, measure in (("handoff_claim", "time_to_claim"), ("handoff_reply", "time_to_first_staff_reply")):
        timed = session.execute(_where(select(E.number, E.monthly_key), filters, kind)).all()
        seconds = sorted(n for n, _ in timed)
        people = len({key for _, key in timed})
        median = statistics.median(seconds) if seconds else None
        p90 = statistics.quantiles(seconds, n=10, method="inclusive")[-1] if len(seconds) >= 2 else None
        rows.append(
            {
                "measure": measure,
                "handoffs": suppress(len(seconds), people),
                "people": suppress(people),
                "median_seconds": stat_of(people, median),
                "p90_seconds": stat_of(people, p90),
            }
        )
    return rows


@indicator
def refused_messages(session: Session, filters: Filters) -> list[Row]:
    """Replies a platform refused or never took, read from the connectors' own table (contract/tables.py).

    The connectors may import only contract/, so they do not write analytics
    events; their table already holds platform, time and whether it was a
    staff reply. Its rows go when the user's data is erased, like the events.
    """
    start = datetime.combine(filters.start, time.min, tzinfo=timezone.utc)
    end = datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=timezone.utc)
    table = undelivered.c
    query = (
        select(table.platform, table.staff_reply, func.count(), func.count(distinct(table.user_key)))
        .where(table.at >= start, table.at < end)
        .group_by(table.platform, table.staff_reply)
        .order_by(func.count().desc(), table.platform)
    )
    if filters.channel:
        query = query.where(table.platform == filters.channel)
    return [
        {
            "channel": platform,
            "reply": "staff" if staff_reply else "assistant",
            "count": suppress(n, people),
            "people": suppress(people),
        }
        for platform, staff_reply, n, people in session.execute(query)
    ]


def compute_all(session: Session, filters: Filters) -> dict[str, list[Row]]:
    return {name: function(session, filters) for name, function in INDICATORS.items()}
