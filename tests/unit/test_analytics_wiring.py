"""The real paths record their events: hand-offs in the case state machine, quiz attempts, the daily purge."""

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.analytics.daily import DailyPurge
from bot.analytics.events import AnalyticsEvent, MonthlyTally, Recorder, channel_of
from bot.console.accounts import add_account
from bot.content.kinds.quizzes import Quiz, QuizOption, QuizQuestion
from bot.handoff import cases
from bot.quiz import QuizBook
from bot.store import Case, Database, monthly_key_for, utcnow


@pytest.fixture
def db(tmp_path):
    return Database(f"sqlite:///{tmp_path / 'app.db'}")


def events(db, kind):
    with db.session() as session:
        return session.execute(select(AnalyticsEvent).where(AnalyticsEvent.kind == kind)).scalars().all()


def opened_minutes_ago(db, case_id, minutes):
    with db.session() as session:
        session.execute(update(Case).where(Case.id == case_id).values(opened_at=utcnow() - timedelta(minutes=minutes)))


def test_a_hand_off_counts_its_opening_claim_first_staff_reply_and_close(db):
    staff = add_account(db, "lan", "hotline", "a long enough password")
    case = cases.open_case(db, "key-1", "zalo:42", "zalo", "danger", "có", [])
    [opened] = events(db, "handoff")
    assert (opened.channel, opened.subject) == ("zalo", "danger")
    assert opened.monthly_key == monthly_key_for("key-1", opened.month), "no user_key, the monthly key"
    opened_minutes_ago(db, case.id, 3)
    cases.claim(db, case.id, staff)
    cases.claim(db, case.id, staff)  # claimed again by its handler: not a second claim
    [claimed] = events(db, "handoff_claim")
    assert 175 <= claimed.number <= 190
    opened_minutes_ago(db, case.id, 10)
    cases.reply(db, case.id, staff, "chào em")
    cases.reply(db, case.id, staff, "em còn đó không?")
    [replied] = events(db, "handoff_reply")
    assert 595 <= replied.number <= 610
    cases.close(db, case.id, staff, "referred_hotline")
    assert [e.item for e in events(db, "handoff_close")] == ["referred_hotline"]


def test_a_reply_to_an_unclaimed_case_is_its_claim_and_a_user_ending_is_an_outcome(db):
    staff = add_account(db, "lan", "hotline", "a long enough password")
    case = cases.open_case(db, "key-2", "web-abc", "rest", "request", "có", [])
    cases.reply(db, case.id, staff, "chào bạn")
    assert len(events(db, "handoff_claim")) == 1 and len(events(db, "handoff_reply")) == 1
    cases.end_by_user(db, case.id)
    cases.end_by_user(db, case.id)  # already closed: nothing more
    assert [e.item for e in events(db, "handoff_close")] == [cases.ENDED_BY_USER]


def test_a_case_reopened_past_the_daily_limit_is_not_a_new_hand_off(db):
    for _ in range(cases.NEW_CASES_PER_DAY + 2):
        case = cases.open_case(db, "key-3", "telegram:7", "telegram", "danger", "có", [])
        cases.end_by_user(db, case.id)
    assert len(events(db, "handoff")) == cases.NEW_CASES_PER_DAY


def quiz_book(db):
    options = tuple(QuizOption(o, o) for o in "ab")
    quiz = Quiz("demo", "Demo", "Demo", "", (QuizQuestion("q1", "?", options, "a", "", ""),))
    return QuizBook(db, {"demo": quiz}, random.Random(1))


def test_a_retake_is_the_second_attempt_of_a_finished_quiz(db):
    book = quiz_book(db)
    assert book.attempt_number("u", "demo") == 1
    book.start("u", "demo")  # abandoned: not finished, so the next is still a first attempt
    assert book.attempt_number("u", "demo") == 1
    outcome = book.answer("u", "a")
    assert (outcome.quiz_id, outcome.question_id, outcome.result.attempt) == ("demo", "q1", 1)
    assert book.attempt_number("u", "demo") == 2
    book.start("u", "demo")
    assert book.answer("u", "b").result.attempt == 2
    assert book.attempt_number("someone else", "demo") == 1


def test_the_purge_runs_once_a_day(db):
    rec = Recorder(db)
    rec.conversation_started("telegram", "k", datetime(2020, 1, 1, tzinfo=timezone.utc))
    purge = DailyPurge(db, months=24)
    now = datetime(2026, 11, 15, 3, tzinfo=timezone.utc)
    assert purge.run_if_due(now) == 1
    rec.conversation_started("telegram", "k", datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert purge.run_if_due(now + timedelta(hours=5)) is None, "once that day"
    assert purge.run_if_due(now + timedelta(days=1)) == 1


def test_the_daily_pass_keeps_last_months_tallies_for_every_channel(db):
    rec = Recorder(db)
    for channel in ("telegram", "zalo"):
        rec.conversation_started(channel, "k", datetime(2026, 10, 20, tzinfo=timezone.utc))
    DailyPurge(db).run_if_due(datetime(2026, 11, 2, tzinfo=timezone.utc))
    with db.session() as session:
        kept = set(session.execute(select(MonthlyTally.month, MonthlyTally.channel)).all())
    assert kept == {("2026-10", ""), ("2026-10", "telegram"), ("2026-10", "zalo")}


@pytest.mark.parametrize(
    "conversation, channel",
    [("telegram:123", "telegram"), ("zalo:9", "zalo"), ("messenger:5", "messenger"), ("web-abc", "rest")],
)
def test_the_channel_comes_from_the_conversation_id(conversation, channel):
    assert channel_of(conversation) == channel


def test_counting_never_breaks_a_turn(monkeypatch):
    """A failed record is logged by type and the action goes on."""
    from actions import runtime

    class Tracker:
        sender_id = "telegram:1"

    monkeypatch.setattr(runtime, "user_key", lambda tracker: "k")
    monkeypatch.setattr(runtime, "recorder", lambda: Recorder(None))

    def bad(rec, channel, key):
        rec.offer_checked(channel, key, "green", "text", [])

    runtime.count(Tracker(), bad)  # no exception


def test_a_response_that_cannot_be_rendered_is_a_content_problem(db):
    from support import ROOT

    from bot.content import LiveContent
    from bot.service import render_response

    recorder = Recorder(db)
    reply = render_response(
        LiveContent(ROOT / "content"),
        {"response": "utter_does_not_exist", "channel": {"name": "zalo"}},
        recorder.content_problem,
    )
    assert "111" in reply["text"]  # the user still gets the fallback
    [problem] = events(db, "content_problem")
    assert (problem.channel, problem.subject, problem.monthly_key) == ("zalo", "missing utter_does_not_exist", None)


@pytest.mark.parametrize("metadata, source", [({"image_url": "https://x/y.png"}, "screenshot"), ({}, "text")])
def test_an_offer_check_counts_a_screenshot_or_pasted_text(monkeypatch, db, metadata, source):
    from actions import offers, runtime
    from bot.offers import Verdict
    from bot.offers.checker import SignFound

    class Tracker:
        sender_id = "messenger:77"
        latest_message = {"metadata": metadata}

    monkeypatch.setattr(runtime, "recorder", lambda: Recorder(db))
    monkeypatch.setattr(runtime, "user_key", lambda tracker: "key-77")
    signs = (SignFound("fees_deposit", "Thu phí", "", ("đặt cọc",)), SignFound("fees_deposit", "Thu phí", "", ("phí",)))
    offers.count_check(Tracker(), Verdict("high", 0.9, signs, ()))
    [offer] = events(db, "offer")
    assert (offer.channel, offer.subject, offer.item) == ("messenger", "high", source)
    assert [e.subject for e in events(db, "offer_sign")] == ["fees_deposit"], "a sign counts once per check"
