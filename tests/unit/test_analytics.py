"""Campaign analytics: recording validates, erasure and retention delete, no indicator leaks a small count."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select

from bot.analytics import INDICATORS, Filters, Recorder, compute_all, purge, suppress
from bot.analytics.events import AnalyticsEvent, MonthlyTally
from bot.store import Database
from contract.tables import undelivered

NOV = datetime(2026, 11, 10, 9, 37, tzinfo=timezone.utc)
RANGE = Filters(date(2026, 11, 1), date(2026, 11, 30))
BIG, SMALL_CHANNEL = "telegram", "zalo"


@pytest.fixture
def db(tmp_path):
    return Database(f"sqlite:///{tmp_path / 'app.db'}")


def one_person(rec: Recorder, channel: str, key: str, n: int, at: datetime) -> None:
    """Everything one person can do, so every indicator has a cell for this channel."""
    rec.conversation_started(channel, key, at)
    rec.offer_checked(channel, key, "high", "screenshot" if n % 2 else "text", ["fees_deposit", "easy_high_pay"], at)
    rec.quiz_started(channel, key, "lures", 1, at)
    rec.quiz_answered(channel, key, "lures", "q1", n % 3 == 0, at)
    rec.quiz_completed(channel, key, "lures", n % 4, 4, 1, at)
    rec.quiz_completed(channel, key, "lures", 3, 4, 2, at)
    rec.referral_given(channel, key, "abroad_trapped", at)
    rec.handoff_opened(channel, key, "danger", at)
    rec.handoff_claimed(channel, key, 60 * n, at)
    rec.handoff_first_reply(channel, key, 90 * n, at)
    rec.handoff_closed(channel, key, "referred", at)
    rec.content_problem(channel, "missing_template", at)
    with rec.db.session() as session:  # a reply the platform refused, as the connector records it
        session.execute(
            insert(undelivered).values(platform=channel, user_key=key, staff_reply=False, reason="blocked", at=at)
        )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """20 people on telegram, 3 on zalo (a different day): zalo's cells all hold 1-4 people or events."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('mixed') / 'app.db'}")
    rec = Recorder(db)
    for n in range(20):
        one_person(rec, BIG, f"t{n}", n, NOV)
    for n in range(3):
        one_person(rec, SMALL_CHANNEL, f"z{n}", n, NOV + timedelta(days=1))
    return db


def cells(results):
    for name, rows in results.items():
        for row in rows:
            for column, value in row.items():
                yield name, column, value


def test_every_indicator_is_in_the_registry_and_answers(mixed):
    with mixed.session() as session:
        results = compute_all(session, RANGE)
    assert set(results) == set(INDICATORS) and len(INDICATORS) >= 14
    assert all(results[name] for name in INDICATORS), "every indicator has rows on the fixture"


def test_no_indicator_shows_a_count_below_five(mixed):
    with mixed.session() as session:
        results = compute_all(session, RANGE)
    leaks = [(n, c, v) for n, c, v in cells(results) if isinstance(v, int) and not isinstance(v, bool) and v < 5]
    assert not leaks
    assert ("reach_daily", "people", "<5") in set(cells(results)), "the small channel's reach is hidden"


def test_the_small_channel_alone_shows_no_figure_at_all(mixed):
    """Every numeric cell of every indicator for a channel of 3 people is hidden: counts, means, rates, times."""
    with mixed.session() as session:
        results = compute_all(session, Filters(RANGE.start, RANGE.end, SMALL_CHANNEL))
    shown = [(n, c, v) for n, c, v in cells(results) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert not shown
    assert sum(1 for *_, v in cells(results) if v == "<5") >= len(INDICATORS)


def test_the_large_channel_shows_its_figures(mixed):
    with mixed.session() as session:
        results = compute_all(session, Filters(RANGE.start, RANGE.end, BIG))
    assert results["reach_daily"] == [{"period": "2026-11-10", "channel": BIG, "people": 20}]
    assert results["offers_by_verdict"] == [{"verdict": "high", "count": 20, "people": 20}]
    assert {r["source"]: r["count"] for r in results["offer_inputs"]} == {"screenshot": 10, "text": 10}
    gain = results["knowledge_gain"][0]
    # first attempts score n % 4 of 4 over n = 0..19: mean 37.5 %; retakes 3 of 4: 75 %.
    assert (gain["first_score_percent"], gain["retake_score_percent"], gain["gain_points"]) == (37.5, 75.0, 37.5)
    claim = results["handoff_times"][0]
    assert claim["median_seconds"] == 570.0  # median of 0, 60, ..., 1140


def test_suppress_is_the_one_rule():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == ["<5", "<5", "<5", 5, 12]
    assert suppress(12, people=3) == "<5", "six retakes by three people are three people"


def test_recording_rejects_what_is_not_a_category(db):
    rec = Recorder(db)
    with pytest.raises(ValueError):
        rec.offer_checked("telegram", "k", "green", "text", [], NOV)
    with pytest.raises(ValueError):
        rec.quiz_completed("telegram", "k", "lures", 5, 4, 1, NOV)
    with pytest.raises(ValueError):
        rec.handoff_claimed("telegram", "k", -3, NOV)
    with pytest.raises(ValueError):
        rec.referral_given("telegram", "k", "x" * 200, NOV)


def test_months_cannot_be_joined_and_erasure_reaches_every_month(db):
    rec = Recorder(db)
    rec.conversation_started("telegram", "same-person", NOV)
    rec.conversation_started("telegram", "same-person", NOV + timedelta(days=30))
    rec.conversation_started("telegram", "someone-else", NOV)
    with db.session() as session:
        keys = session.execute(select(AnalyticsEvent.month, AnalyticsEvent.monthly_key)).all()
    assert len({key for _, key in keys}) == 3, "one person has a different key each month"
    assert db.erase_user("same-person") == 2
    with db.session() as session:
        assert session.execute(select(func.count()).select_from(AnalyticsEvent)).scalar() == 1


def test_purge_keeps_the_retention_window(db):
    rec = Recorder(db)
    rec.conversation_started("telegram", "k", datetime(2024, 10, 31, tzinfo=timezone.utc))
    rec.conversation_started("telegram", "k", datetime(2024, 11, 1, tzinfo=timezone.utc))
    assert purge(db, months=24, today=date(2026, 11, 15)) == 1
    with db.session() as session:
        assert session.execute(select(func.count()).select_from(AnalyticsEvent)).scalar() == 1


@pytest.fixture
def two_months(db):
    """People active in October and November 2026 (past months on the clock of this machine, December 2026)."""
    rec = Recorder(db)
    for n in range(12):
        for at in (datetime(2026, 10, 5 + n, tzinfo=timezone.utc), datetime(2026, 11, 3 + n, tzinfo=timezone.utc)):
            one_person(rec, BIG if n % 3 else SMALL_CHANNEL, f"p{n}", n, at)
    return db


def from_the_events_only(monkeypatch):
    """As if no month were past yet: every tally counted from the events."""
    from bot.analytics import monthly

    monkeypatch.setattr(monthly, "utcnow", lambda: datetime(2020, 1, 1, tzinfo=timezone.utc))


@pytest.mark.parametrize("channel", [None, BIG, SMALL_CHANNEL])
def test_kept_monthly_tallies_give_exactly_the_figures_of_the_events(two_months, monkeypatch, channel):
    """A range over two whole months and a partial one: cold, kept, and counted from the events, the same."""
    over = Filters(date(2026, 9, 20), date(2026, 12, 31), channel)
    with two_months.session() as session:
        cold = compute_all(session, over)
    with two_months.session() as session:
        assert session.execute(select(func.count()).select_from(MonthlyTally)).scalar() > 0, "the months were kept"
        kept = compute_all(session, over)
    from_the_events_only(monkeypatch)
    with two_months.session() as session:
        assert compute_all(session, over) == kept == cold


def test_people_over_two_months_are_the_sum_of_each_months(two_months):
    with two_months.session() as session:
        both = INDICATORS["offers_by_verdict"](session, Filters(date(2026, 10, 1), date(2026, 11, 30), BIG))
    assert both == [{"verdict": "high", "count": 16, "people": 16}], "8 people, a new key each month"


def test_kept_tallies_go_with_an_erasure_a_backfill_and_the_purge(two_months):
    def kept_months():
        with two_months.session() as session:
            return sorted(set(session.execute(select(MonthlyTally.month)).scalars()))

    def look():
        with two_months.session() as session:
            compute_all(session, Filters(date(2026, 10, 1), date(2026, 11, 30)))

    look()
    assert kept_months() == ["2026-10", "2026-11"]
    Recorder(two_months).conversation_started(BIG, "late", datetime(2026, 10, 30, tzinfo=timezone.utc))
    assert kept_months() == ["2026-11"], "an event recorded into October: October's tallies are counted again"
    look()
    two_months.erase_user("p1")
    assert kept_months() == [], "counts of people: any erasure empties them"
    look()
    purge(two_months, months=1, today=date(2026, 12, 6))
    assert kept_months() == ["2026-11"]
