"""The user's side of a hand-off, without Rasa: questions, skipping, ending, staffed hours, erasure."""

from datetime import datetime, timezone

import pytest
from support import ROOT

from bot.console.accounts import add_account
from bot.content import load_templates
from bot.handoff import cases, conversation
from bot.handoff.console_queries import case_with_transcript
from bot.handoff.worker_queries import open_case_of
from bot.store import Database

KEY = "u" * 32


@pytest.fixture(scope="module")
def handoff():
    """Read once: checking all of content/ takes a second, and the content objects are frozen."""
    templates, problems = load_templates(ROOT / "content")
    assert not problems
    return templates.content.handoff


@pytest.fixture
def db(tmp_path):
    return Database(f"sqlite:///{tmp_path / 'app.db'}")


def start(db, handoff, reason="danger"):
    return conversation.start(
        db,
        handoff,
        user_key=KEY,
        conversation_id="conv-1",
        channel="zalo",
        reason=reason,
        consent_text="có",
        notify_targets=["telegram"],
        now=datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc),
    )


def say(db, handoff, text):
    return conversation.on_message(db, handoff, open_case_of(db, KEY), text)


def names(step):
    return [s.response for s in step.says]


def test_consent_opens_a_case_and_asks_the_first_question(db, handoff):
    step = start(db, handoff)
    case = open_case_of(db, KEY)
    assert names(step) == ["utter_handoff_opened", "utter_handoff_ask_location"]
    assert step.says[0].arguments == {"case_number": case.id, "staffed": True}
    assert (case.reason, case.priority, case.status) == ("danger", 2, "new")


def test_questions_in_order_answers_kept_skips_left_out(db, handoff):
    start(db, handoff)
    assert names(say(db, handoff, "Phnom Penh")) == ["utter_handoff_ask_safe_to_talk"]
    assert names(say(db, handoff, "bo qua")) == ["utter_handoff_ask_contact"]
    assert names(say(db, handoff, "zalo 0912xxxxxx")) == ["utter_handoff_waiting"]
    assert names(say(db, handoff, "họ đánh em")) == []  # relayed, no bot answer
    case = case_with_transcript(db, open_case_of(db, KEY).id)
    assert case.answers == {"location": "Phnom Penh", "contact": "zalo 0912xxxxxx"}
    assert [m.text for m in case.messages] == ["có", "Phnom Penh", "bo qua", "zalo 0912xxxxxx", "họ đánh em"]


@pytest.mark.parametrize("answer", ["không an toàn", "ko an toan", "k", "có người đang xem"])
def test_not_safe_to_write_stops_the_questions_with_one_short_line(db, handoff, answer):
    start(db, handoff)
    say(db, handoff, "Phnom Penh")
    assert names(say(db, handoff, answer)) == ["utter_handoff_unsafe"]
    assert names(say(db, handoff, "họ đang ở ngoài cửa")) == []  # relayed; no more questions
    assert open_case_of(db, KEY).answers == {"location": "Phnom Penh", "safe_to_talk": answer}


@pytest.mark.parametrize("refusal", ["ko", "thoi ko can dau", "không"])
def test_a_refusal_ends_the_questions_and_is_not_kept_as_an_answer(db, handoff, refusal):
    start(db, handoff)
    assert names(say(db, handoff, refusal)) == ["utter_handoff_waiting"]
    assert names(say(db, handoff, "họ vẫn đang giữ em")) == []  # relayed; no more questions
    assert open_case_of(db, KEY).answers == {}


def test_a_bare_yes_is_not_a_place(db, handoff):
    start(db, handoff)
    assert names(say(db, handoff, "ok")) == ["utter_handoff_ask_safe_to_talk"]
    assert open_case_of(db, KEY).answers == {}


def test_safe_to_write_goes_on_to_the_next_question(db, handoff):
    start(db, handoff)
    say(db, handoff, "Phnom Penh")
    assert names(say(db, handoff, "an toàn")) == ["utter_handoff_ask_contact"]


def test_ket_thuc_ends_only_as_a_short_command(db, handoff):
    start(db, handoff)
    assert not say(db, handoff, "em muốn kết thúc hợp đồng nhưng công ty không cho về").ends
    step = say(db, handoff, "ket thuc")
    assert step.ends and names(step) == ["utter_handoff_ended_by_user"]
    assert open_case_of(db, KEY) is None


def test_asking_again_while_a_case_is_open_does_not_open_another(db, handoff):
    first = start(db, handoff).says[0].arguments["case_number"]
    again = start(db, handoff, reason="request")
    assert names(again) == ["utter_handoff_opened"] and again.says[0].arguments["case_number"] == first


def test_staff_news_is_told_once_and_in_order(db, handoff):
    start(db, handoff)
    case = open_case_of(db, KEY)
    staff = _staff(db)
    cases.reply(db, case.id, staff, "Chào em")
    cases.reply(db, case.id, staff, "Em ở đâu?")
    cases.close(db, case.id, staff, "advised")
    step = conversation.updates_step(cases.take_updates(db, KEY))
    assert [s.arguments.get("reply") for s in step.says] == ["Chào em", "Em ở đâu?", None]
    assert names(step)[-1] == "utter_handoff_closed_by_staff" and step.ends
    assert not cases.take_updates(db, KEY)


@pytest.mark.parametrize(
    "utc_hour, weekday_offset, staffed", [(1, 0, True), (14, 0, True), (15, 0, False), (3, 6, False)]
)
def test_staffed_hours_are_viet_nam_time(handoff, utc_hour, weekday_offset, staffed):
    # 2026-11-23 is a Monday; 01:00 UTC is 08:00 in Viet Nam, 15:00 UTC is 22:00.
    moment = datetime(2026, 11, 23 + weekday_offset, utc_hour, 0, tzinfo=timezone.utc)
    assert conversation.is_staffed(handoff, moment) is staffed


def test_erasing_a_user_removes_cases_transcripts_notes_and_notifications(db, handoff):
    start(db, handoff)
    case = open_case_of(db, KEY)
    cases.add_note(db, case.id, _staff(db), "gọi lại")
    assert db.erase_user(KEY) >= 4
    assert case_with_transcript(db, case.id) is None


def _staff(db):
    from bot.console.accounts import add_account

    return add_account(db, "lan", "hotline", "a long enough password")


def test_danger_during_the_questions_wins_and_puts_the_case_first(db, handoff):
    start(db, handoff, reason="request")
    say(db, handoff, "Phnom Penh")
    step = conversation.on_message(db, handoff, open_case_of(db, KEY), "họ đánh em nữa", in_danger=True)
    assert step.refer_danger and names(step) == []  # the contacts for where they are, not the next question
    case = open_case_of(db, KEY)
    assert (case.reason, case.priority) == ("danger", 2)
    assert names(say(db, handoff, "em o tang 3")) == []  # relayed; no more questions
    assert case_with_transcript(db, case.id).answers == {"location": "Phnom Penh"}  # not an answer to "safe to write?"


def test_danger_after_staff_took_the_case_is_left_to_staff(db, handoff):
    start(db, handoff, reason="request")
    cases.claim(db, open_case_of(db, KEY).id, add_account(db, "lan", "hotline", "a long enough password"))
    step = conversation.on_message(db, handoff, open_case_of(db, KEY), "họ đánh em nữa", in_danger=True)
    assert not step.refer_danger and names(step) == []
    assert open_case_of(db, KEY).priority == 2
