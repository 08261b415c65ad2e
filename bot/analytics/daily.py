"""What the bot service's background pass does for analytics once a UTC day: the purge, then last month kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import distinct, select

from bot.analytics.events import DEFAULT_RETENTION_MONTHS, AnalyticsEvent, purge
from bot.analytics.indicators import INDICATORS, Filters
from bot.store import Database


@dataclass
class DailyPurge:
    """Deletes events past the retention, then counts and keeps last month's tallies for every channel
    (bot/analytics/monthly.py), so the first dashboard view of a long range does not count them."""

    db: Database
    months: int = DEFAULT_RETENTION_MONTHS
    last_day: date | None = None

    def run_if_due(self, now: datetime) -> int | None:
        """How many events went, or None when today's pass already ran."""
        today = now.astimezone(timezone.utc).date()
        if self.last_day == today:
            return None
        removed = purge(self.db, self.months, today)
        keep_month(self.db, (today.replace(day=1) - timedelta(days=1)).replace(day=1))
        self.last_day = today
        return removed


def keep_month(db: Database, first: date) -> None:
    """Every indicator's tally of this whole month, for all channels together and each one seen in it."""
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    with db.session() as session:
        channels = session.execute(
            select(distinct(AnalyticsEvent.channel)).where(AnalyticsEvent.month == first.strftime("%Y-%m"))
        ).scalars()
        for channel in [None, *channels]:
            for compute in INDICATORS.values():
                compute(session, Filters(first, last, channel))
