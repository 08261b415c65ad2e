"""The indicators campaign staff read, each a list of rows (dicts) for a date range and channel.

Every cell that counts people or events goes through `suppress`, every share,
mean or percentile through `stat_of` or `share`: a cell resting on fewer than
SMALL people shows "<5". Indicators live in one registry, INDICATORS, which
the dashboard, the report and the suppression test all iterate, so a new
indicator cannot skip the test. Definitions: docs/analytics.md.

Most indicators are computed in two steps: `tally` counts (events, distinct
people, score sums: numbers that add up), `show` suppresses and formats. The
tallies of a whole past month are kept (bot/analytics/monthly.py), and a
range's tallies are the sum of its months': `monthly_key` never repeats
across months, so distinct people add up exactly. Suppression comes after the
adding, on the range's totals.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from bot.analytics.events import AnalyticsEvent as E
from bot.analytics.monthly import Filters, Tally, tally_by_month
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


def mean(total: float, n: int) -> float | None:
    return total / n if n else None


INDICATORS: dict[str, Callable[[Session, Filters], list[Row]]] = {}


def tallied(show: Callable[[Tally], list[Row]]):
    """An indicator counted month by month (past months kept), its rows made from the range's sum."""

    def register(tally: Callable[[Session, Filters], Tally]):
        name = tally.__name__

        def rows(session: Session, filters: Filters) -> list[Row]:
            return show(tally_by_month(session, name, tally, filters))

        INDICATORS[name] = rows
        return tally

    return register


def whole_range(function: Callable[[Session, Filters], list[Row]]):
    """An indicator computed on the whole range at once: its figures do not add up across months."""
    INDICATORS[function.__name__] = function
    return function


def _where(query, filters: Filters, kind: str):
    query = query.where(E.kind == kind, E.day >= filters.start, E.day <= filters.end)
    return query.where(E.channel == filters.channel) if filters.channel else query


def _tally(rows) -> Tally:
    return {tuple(str(k) for k in key): [float(n or 0) for n in numbers] for *key, numbers in rows}


def _by_count(tally: Tally) -> list[tuple[tuple, list[float]]]:
    """Most events first, then by name: the order of the adding does not show."""
    return sorted(tally.items(), key=lambda item: (-item[1][0], item[0]))


# --- reach -----------------------------------------------------------------------------------


def _people_by(session: Session, filters: Filters, period) -> Tally:
    # Reach counts a person once per period and channel, across every kind that carries a key.
    query = (
        select(period, E.channel, func.count(distinct(E.monthly_key)))
        .where(E.monthly_key.isnot(None), E.day >= filters.start, E.day <= filters.end)
        .group_by(period, E.channel)
    )
    if filters.channel:
        query = query.where(E.channel == filters.channel)
    return _tally((p, channel, [n]) for p, channel, n in session.execute(query))


def _show_people(tally: Tally) -> list[Row]:
    return [
        {"period": p, "channel": channel, "people": suppress(int(n))} for (p, channel), (n,) in sorted(tally.items())
    ]


@tallied(_show_people)
def reach_daily(session: Session, filters: Filters) -> Tally:
    return _people_by(session, filters, E.day)


@tallied(_show_people)
def reach_weekly(session: Session, filters: Filters) -> Tally:
    return _people_by(session, filters, E.week)


# --- counts per category --------------------------------------------------------------------


def _count_by(session: Session, filters: Filters, kind: str, column, people: bool = True) -> Tally:
    """Events and distinct people per value of `column`; people=False only for kinds about no person."""
    counted = func.count(distinct(E.monthly_key)) if people else func.count()
    query = _where(select(column, func.count(), counted), filters, kind).group_by(column)
    return _tally((value, [n, p]) for value, n, p in session.execute(query))


def _shown_counts(label: str, people: bool = True, top: int | None = None) -> Callable[[Tally], list[Row]]:
    def show(tally: Tally) -> list[Row]:
        rows = []
        for (value,), (n, distinct_people) in _by_count(tally)[:top]:
            row: Row = {label: value, "count": suppress(int(n), int(distinct_people))}
            if people:
                row["people"] = suppress(int(distinct_people))
            rows.append(row)
        return rows

    return show


@tallied(_shown_counts("channel"))
def conversations_started(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "conversation", E.channel)


@tallied(_shown_counts("verdict"))
def offers_by_verdict(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "offer", E.subject)


@tallied(_shown_counts("source"))
def offer_inputs(session: Session, filters: Filters) -> Tally:
    """Screenshots against pasted text."""
    return _count_by(session, filters, "offer", E.item)


@tallied(_shown_counts("sign", top=TOP_SIGNS))
def top_warning_signs(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "offer_sign", E.subject)


@tallied(_shown_counts("situation"))
def referrals_by_situation(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "referral", E.subject)


@tallied(_shown_counts("reason"))
def handoffs_by_reason(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "handoff", E.subject)


@tallied(_shown_counts("outcome"))
def handoff_outcomes(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "handoff_close", E.item)


@tallied(_shown_counts("problem", people=False))
def content_problems(session: Session, filters: Filters) -> Tally:
    return _count_by(session, filters, "content_problem", E.subject, people=False)


# --- quizzes -------------------------------------------------------------------------------


def _score_percent():
    return func.sum(100.0 * E.number / E.total)


def _show_quizzes(tally: Tally) -> list[Row]:
    rows = []
    for (quiz,), (started, starters, done, completers, score_sum) in sorted(tally.items()):
        rows.append(
            {
                "quiz": quiz,
                "starts": suppress(int(started), int(starters)),
                "people_starting": suppress(int(starters)),
                "completions": suppress(int(done), int(completers)),
                "people_completing": suppress(int(completers)),
                "average_score_percent": stat_of(int(completers), mean(score_sum, int(done))),
            }
        )
    return rows


@tallied(_show_quizzes)
def quizzes(session: Session, filters: Filters) -> Tally:
    people = func.count(distinct(E.monthly_key))
    started = _where(select(E.subject, func.count(), people), filters, "quiz_start").group_by(E.subject)
    done = _where(select(E.subject, func.count(), people, _score_percent()), filters, "quiz_done").group_by(E.subject)
    tally: Tally = {}
    for quiz, n, p in session.execute(started):
        tally.setdefault((quiz,), [0.0] * 5)[0:2] = [n, p]
    for quiz, n, p, score_sum in session.execute(done):
        tally.setdefault((quiz,), [0.0] * 5)[2:5] = [n, p, score_sum or 0.0]
    return tally


def _show_error_rates(tally: Tally) -> list[Row]:
    return [
        {
            "quiz": quiz,
            "question": question,
            "answers": suppress(int(n), int(people)),
            "people": suppress(int(people)),
            "wrong": suppress(int(n_wrong), int(people_wrong)),
            "error_rate_percent": share(int(n_wrong), int(n), int(min(people, people_wrong))),
        }
        for (quiz, question), (n, people, n_wrong, people_wrong) in sorted(tally.items())
    ]


@tallied(_show_error_rates)
def question_error_rates(session: Session, filters: Filters) -> Tally:
    wrong = E.correct.is_(False)
    query = _where(
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
    ).group_by(E.subject, E.item)
    return _tally((quiz, question, numbers) for quiz, question, *numbers in session.execute(query))


def _show_gain(tally: Tally) -> list[Row]:
    rows = []
    for (quiz,), (first_n, first_people, first_sum, retake_n, retake_people, retake_sum) in sorted(tally.items()):
        first_mean, retake_mean = mean(first_sum, int(first_n)), mean(retake_sum, int(retake_n))
        both = min(first_people, retake_people) >= SMALL and first_mean is not None and retake_mean is not None
        rows.append(
            {
                "quiz": quiz,
                "first_attempts": suppress(int(first_n), int(first_people)),
                "first_score_percent": stat_of(int(first_people), first_mean),
                "retakes": suppress(int(retake_n), int(retake_people)),
                "retake_score_percent": stat_of(int(retake_people), retake_mean),
                "gain_points": round(retake_mean - first_mean, 1) if both else HIDDEN,  # type: ignore[operator]
            }
        )
    return rows


@tallied(_show_gain)
def knowledge_gain(session: Session, filters: Filters) -> Tally:
    """Mean score of first attempts against mean score of later retakes of the same quiz (not paired)."""
    retake = E.attempt > 1
    query = _where(
        select(E.subject, retake, func.count(), func.count(distinct(E.monthly_key)), _score_percent()),
        filters,
        "quiz_done",
    ).group_by(E.subject, retake)
    tally: Tally = {}
    for quiz, is_retake, n, people, score_sum in session.execute(query):
        at = 3 if is_retake else 0
        tally.setdefault((quiz,), [0.0] * 6)[at : at + 3] = [n, people, score_sum or 0.0]
    return tally


# --- computed on the whole range ------------------------------------------------------------


@whole_range
def handoff_times(session: Session, filters: Filters) -> list[Row]:
    """Medians and percentiles do not add up across months: read from the events (hand-offs are few)."""
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


@whole_range
def refused_messages(session: Session, filters: Filters) -> list[Row]:
    """Replies a platform refused or never took, read from the connectors' own table (contract/tables.py).

    The connectors may import only contract/, so they do not write analytics
    events; their table already holds platform, time and whether it was a
    staff reply. Its rows go when the user's data is erased, like the events.
    People are counted by user_key there, which does not change monthly: computed on the whole range.
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
