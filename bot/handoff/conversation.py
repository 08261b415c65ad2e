"""The user's side of a hand-off, one step per message: what to record and what to say.

The state lives in the case row (how many optional questions were asked), so
the dialogue needs only to know that a hand-off is running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.content.kinds.handoff import HandoffQuestion, HandoffSettings
from bot.content.kinds.messages import MessageDef
from bot.handoff import cases
from bot.handoff.states import Reason, Status
from bot.handoff.worker_queries import open_case_of
from bot.store import Case, Database
from nlu.answers import is_clear_no, is_clear_yes
from nlu.normalise import normalise_with_origin
from nlu.phrases import PhraseSet

VIETNAM_TIME = timezone(timedelta(hours=7))  # no daylight saving
# "kết thúc" ends the hand-off only as a short command, not inside a story
# ("em muốn kết thúc hợp đồng nhưng họ không cho").
MAX_COMMAND_WORDS = 4


@dataclass(frozen=True)
class Say:
    response: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    says: list[Say] = field(default_factory=list)
    ends: bool = False  # the hand-off is over: normal answers again
    # Danger reported while the intake questions were still being asked: the contacts for where the person is, now.
    refer_danger: bool = False


def is_staffed(settings: HandoffSettings, now: datetime) -> bool:
    local = now.astimezone(VIETNAM_TIME)
    return local.weekday() in settings.staffed_days and settings.staffed_from <= local.time() < settings.staffed_to


def as_seen(text: str, offer: MessageDef | None) -> str:
    """The consent as the user gave it: a pressed button by its title, not the payload Rasa got ("/affirm")."""
    pressed = [button.title for button in (offer.buttons if offer else ()) if button.payload == text]
    return pressed[0] if pressed else text


def start(
    db: Database,
    settings: HandoffSettings,
    *,
    user_key: str,
    conversation_id: str,
    channel: str,
    reason: str,
    consent_text: str,
    notify_targets: Sequence[str],
    now: datetime,
) -> Step:
    """Consent given: the case is stored first, and only then is the user told about it."""
    existing = open_case_of(db, user_key)
    case = existing or cases.open_case(db, user_key, conversation_id, channel, reason, consent_text, notify_targets)
    opened = Say("utter_handoff_opened", {"case_number": case.id, "staffed": is_staffed(settings, now)})
    return Step([opened] + ([] if existing else _next_question(db, settings, case)))


def on_message(db: Database, settings: HandoffSettings, case: Case, text: str, in_danger: bool = False) -> Step:
    """A message while the case is open: it goes to staff, never to the bot's own answers.

    `in_danger`: the message says the person is held, hurt or asking for rescue.
    """
    if _is_short_command(settings.end_words, text):
        cases.record_user_message(db, case.id, text)
        cases.end_by_user(db, case.id)
        return Step([Say("utter_handoff_ended_by_user")], ends=True)
    # Once a person has taken the case, the assistant stops asking: staff lead the conversation.
    question = _awaited_question(settings, case) if case.status == Status.NEW else None
    skipped = question is not None and _is_short_command(settings.skip_words, text)
    refused = question is not None and _is_refusal(question, text)
    answer_to = (
        question.id
        if question is not None and not (skipped or refused or in_danger or _is_bare_yes(question, text))
        else None
    )
    case = cases.record_user_message(db, case.id, text, answer_to=answer_to)
    if in_danger and case.reason != Reason.DANGER:
        cases.raise_to_danger(db, case.id)
    if in_danger and question is not None:
        # Danger wins over the intake questions ("họ đánh em nữa" is no answer to "is it safe to write?").
        # Once they are over, the waiting line has given the numbers and staff read every message.
        cases.no_more_questions(db, case.id, len(settings.questions))
        return Step(refer_danger=True)
    if question is None:
        return Step()
    if _is_unsafe_answer(question, text):
        # Someone may be reading over their shoulder: no more questions, one short line.
        cases.no_more_questions(db, case.id, len(settings.questions))
        return Step([Say("utter_handoff_unsafe")])
    if refused:
        # "ko", "thôi không cần": no more questions, and the refusal is not kept as an answer.
        cases.no_more_questions(db, case.id, len(settings.questions))
        return Step([Say("utter_handoff_waiting")])
    return Step(_next_question(db, settings, case))


def updates_step(updates: cases.Updates) -> Step:
    """Staff news for the user, in the order it happened."""
    says = [Say("utter_handoff_staff_reply", {"reply": text}) for text in updates.staff_replies]
    if updates.unclaimed_notice:
        says.append(Say("utter_handoff_unclaimed"))
    if updates.closed:
        says.append(Say("utter_handoff_closed_by_staff"))
    return Step(says, ends=updates.closed)


def _next_question(db: Database, settings: HandoffSettings, case: Case) -> list[Say]:
    asked = case.questions_asked
    if asked > len(settings.questions):
        return []
    cases.question_asked(db, case.id)
    if asked == len(settings.questions):
        return [Say("utter_handoff_waiting")]
    return [Say(settings.questions[asked].response)]


def _awaited_question(settings: HandoffSettings, case: Case) -> HandoffQuestion | None:
    asked = case.questions_asked
    return settings.questions[asked - 1] if 1 <= asked <= len(settings.questions) else None


def said_unsafe(settings: HandoffSettings, answers: dict[str, str]) -> bool:
    """Did the user answer that someone may be reading their messages? Staff then write briefly."""
    return any(_is_unsafe_answer(q, answers[q.id]) for q in settings.questions if q.id in answers)


def _is_refusal(question: HandoffQuestion, text: str) -> bool:
    """A plain no to "where are you?" or "how can staff reach you?" (for "is it safe?" a no means unsafe)."""
    return question.unsafe_answers is None and is_clear_no(text)


def _is_bare_yes(question: HandoffQuestion, text: str) -> bool:
    """ "ok" is no place and no contact: relayed to staff, not kept as the answer."""
    return question.unsafe_answers is None and is_clear_yes(text)


def _is_unsafe_answer(question: HandoffQuestion, text: str) -> bool:
    return question.unsafe_answers is not None and _is_short_command(question.unsafe_answers, text)


def _is_short_command(phrases: PhraseSet, text: str) -> bool:
    normalised = normalise_with_origin(text)
    return len(normalised.text.split()) <= MAX_COMMAND_WORDS and bool(phrases.find(normalised))
