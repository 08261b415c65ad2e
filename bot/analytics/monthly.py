"""The tallies of whole past months, kept, so a range of many months adds twelve small rows, not a million.

A tally is what an indicator counts before suppression: per row key, numbers
that add up (events, distinct people, score sums). A month's distinct people
can be added to another month's because `monthly_key` never repeats across
months: the sum is exactly the people over both. The current month, and the
partial months at either end of a range, are always counted from the events.

A kept tally holds counts, never keys, but counts of people all the same:
erasing a user (bot.store.Database.erase_user) deletes every kept tally, the
purge deletes those of purged months, and an event recorded into a past month
(a backfill) deletes that month's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.analytics.events import MonthlyTally
from bot.store import utcnow

# Per row key (what the row is about), numbers that add up across months.
Tally = dict[tuple, list[float]]


@dataclass(frozen=True)
class Filters:
    start: date  # first day, inclusive (UTC)
    end: date  # last day, inclusive (UTC)
    channel: str | None = None  # None: every channel


def tally_by_month(
    session: Session, name: str, tally: Callable[[Session, Filters], Tally], filters: Filters, today: date | None = None
) -> Tally:
    """The indicator's tally over the range: kept past months, and the rest counted from the events."""
    this_month = (today or utcnow().date()).replace(day=1)
    total: Tally = {}
    for part, whole_month in _months(filters):
        if whole_month and part.start < this_month:
            kept = _kept(session, name, part)
            found = kept if kept is not None else _keep(session, name, part, tally(session, part))
        else:
            found = tally(session, part)
        for key, numbers in found.items():
            adding = total.setdefault(key, [0.0] * len(numbers))
            total[key] = [a + b for a, b in zip(adding, numbers, strict=True)]
    return total


def _months(filters: Filters) -> Iterator[tuple[Filters, bool]]:
    """The range cut at month ends: each piece, and whether it is a whole calendar month."""
    start = filters.start
    while start <= filters.end:
        next_month = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = min(filters.end, next_month - timedelta(days=1))
        yield Filters(start, end, filters.channel), start.day == 1 and end == next_month - timedelta(days=1)
        start = next_month


def _kept(session: Session, name: str, month: Filters) -> Tally | None:
    stored = session.execute(
        select(MonthlyTally.tally).where(
            MonthlyTally.indicator == name,
            MonthlyTally.month == month_of_day(month.start),
            MonthlyTally.channel == (month.channel or ""),
        )
    ).scalar_one_or_none()
    return None if stored is None else {tuple(key): numbers for key, numbers in stored}


def _keep(session: Session, name: str, month: Filters, tally: Tally) -> Tally:
    try:
        with session.begin_nested():  # another request may have kept the same month meanwhile: then theirs stays
            session.add(
                MonthlyTally(
                    indicator=name,
                    month=month_of_day(month.start),
                    channel=month.channel or "",
                    tally=[[list(key), numbers] for key, numbers in tally.items()],
                )
            )
    except IntegrityError:
        pass
    return tally


def month_of_day(day: date) -> str:
    return day.strftime("%Y-%m")
