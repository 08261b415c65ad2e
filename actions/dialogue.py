"""The answer to the question on screen: consent, erasing data, an awaited offer, a verdict's follow-up,
a quiz question or the quiz list, the report choice, what was wrong with a verdict.

`OpenQuestionPolicy` (nlu/components.py) sends a message here when it
answers the question the assistant asked in its latest turn (nlu/answers.py
decides). Each kind of question has one function below; it says what to do
and which question, if any, stays open.
"""

from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import offers, quiz, reports, signs
from actions.handoff import DECLINED, HANDOFF_LOOP, OFFER, OFFER_AGAIN, offer_handoff
from actions.referrals import refer, referral
from actions.runtime import latest_text, live_content
from actions.session import bot_said_before, latest_said
from contract.names import ACTION_DELETE_MY_DATA
from nlu import answers

CLOSE = [SlotSet(answers.OPEN_QUESTION, None)]
Handler = Callable[[CollectingDispatcher, Tracker, dict[str, Any], str, str], list[dict]]


def typed_button_payload(text: str, response: str) -> str | None:
    """The payload of the button of `response` whose title the user typed ("Không rõ"), if any."""
    messages = live_content().templates.content.messages
    buttons = messages[response].buttons if response in messages else ()
    return next((b.payload for b in buttons if answers.is_title(text, [b.title])), None)


def consent_titles() -> list[str]:
    """The titles of the consent buttons, typed as words: "Có, kết nối" works as pressing it."""
    messages = live_content().templates.content.messages
    return [
        b.title
        for name in (OFFER, OFFER_AGAIN)
        if name in messages
        for b in messages[name].buttons
        if b.payload == "/affirm"
    ]


def open_case() -> list[dict]:
    return CLOSE + [FollowupAction(HANDOFF_LOOP)]


def decline(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict]:
    found = referral(tracker, in_danger=True)
    dispatcher.utter_message(response=DECLINED, abroad=found.abroad, embassy=found.embassy)
    return CLOSE


def on_consent(dispatcher, tracker, question, text, intent) -> list[dict]:
    if text.startswith("/affirm") or answers.is_clear_yes(text, consent_titles()):
        return open_case()
    if text.startswith("/deny") or answers.is_clear_no(text) or answers.opens_with_no(text):
        return decline(dispatcher, tracker)
    found = referral(tracker, in_danger=True)
    if intent == answers.DANGER_INTENT or found.advice or found.abroad:
        # A new detail or where they are: the contacts for it, short, then the same question in one line.
        refer(dispatcher, tracker, in_danger=True)
        return offer_handoff(dispatcher, tracker)
    dispatcher.utter_message(response="utter_consent_unclear")
    return [SlotSet(answers.OPEN_QUESTION, {"kind": answers.CONSENT})]


def on_delete(dispatcher, tracker, question, text, intent) -> list[dict]:
    if text == "xoá hết" or answers.is_delete_confirmation(text):
        return CLOSE + [FollowupAction(ACTION_DELETE_MY_DATA)]
    if intent == "deny" or answers.is_clear_no(text) or answers.mentions_delete(text):  # "thôi không xoá"
        dispatcher.utter_message(response="utter_delete_cancelled")
        return CLOSE
    # "có", "ok": erasing cannot be undone, so only the word for it erases.
    dispatcher.utter_message(response="utter_confirm_delete_again")
    return [SlotSet(answers.OPEN_QUESTION, {"kind": answers.DELETE})]


def on_offer_text(dispatcher, tracker, question, text, intent) -> list[dict]:
    return offers.reply_to_offer(dispatcher, offers.with_fragments(question, text), asked_for_it=True, tracker=tracker)


def on_verdict(dispatcher, tracker, question, text, intent) -> list[dict]:
    state = tracker.get_slot(offers.OFFER_CHECK)
    if not state or not state.get("text"):
        return offers.reply_to_offer(dispatcher, text, asked_for_it=True, tracker=tracker)
    answer = offers.answer_of(tracker)
    if answer is None and state.get("asked"):
        typed = typed_button_payload(text, "utter_offer_question") or ""
        answer = next((a for a in offers.ANSWERS if f'"{a}"' in typed), None)
    if answer is None and state.get("asked") and answers.followup_topic(text) != "decline":
        # "thôi e ko đi nữa" is a decision about the offer, not a no to the question on screen.
        answer = "yes" if answers.is_clear_yes(text) else "no" if answers.is_clear_no(text) else None
    if state.get("asked") and answer is not None:
        return offers.answer_question(dispatcher, state, answer)
    # A bare "ok" or "ko" with nothing asked is only that; "ko biết nữa, họ chỉ nhắn qua tele" says more.
    if (answer is not None and len(text.split()) <= answers.SHORT_REQUEST_WORDS) or text.startswith("/"):
        dispatcher.utter_message(response="utter_ok")
        return [SlotSet(answers.OPEN_QUESTION, {"kind": answers.VERDICT})]
    return offers.follow_up(dispatcher, state, text, tracker)


def on_quiz(dispatcher, tracker, question, text, intent) -> list[dict]:
    options = question.get("options") or []
    # An option's own words first: an option may well be "Dừng lại".
    if answers.chosen_option(text, options) is not None:
        return quiz.answer_quiz(dispatcher, tracker, text)
    if not answers.is_quiz_stop(text):  # "🤔": the question stays; how to answer it, once more
        dispatcher.utter_message(response="utter_quiz_invalid_answer", letters=[o["letter"] for o in options])
        return [SlotSet(answers.OPEN_QUESTION, question)]
    dispatcher.utter_message(response="utter_quiz_paused")
    return CLOSE


def on_quiz_menu(dispatcher, tracker, question, text, intent) -> list[dict]:
    options = question.get("options") or []
    chosen = answers.chosen_option(text, options)
    if chosen is None:  # "thôi": the menu is closed
        dispatcher.utter_message(response="utter_ok")
        return CLOSE
    book = quiz.quiz_book()
    quiz_id = options[chosen].get("quiz_id")
    if quiz_id not in book.quizzes:  # the quizzes changed since the menu was shown
        return quiz.utter_menu(dispatcher, book)
    return quiz.start_quiz(dispatcher, tracker, book, quiz_id)


def on_report(dispatcher, tracker, question, text, intent) -> list[dict]:
    options = question.get("options") or []
    chosen = answers.chosen_option(text, options)
    if chosen is not None:
        return reports.report_offer(dispatcher, tracker, options[chosen].get("value"))
    if answers.is_clear_yes(text):  # "có" to "gửi …? muốn được báo lại không?": send, and tell them
        return reports.report_offer(dispatcher, tracker, reports.NOTIFY)
    if question.get("asked") == reports.ASK_AGAIN:  # a second no: nothing is sent
        return reports.report_offer(dispatcher, tracker, reports.CANCEL)
    # "không" could be "don't send" or "don't tell me": asked once more, in one line.
    return reports.ask_report_choice(dispatcher, reports.ASK_AGAIN)


def on_feedback_reason(dispatcher, tracker, question, text, intent) -> list[dict]:
    options = question.get("options") or []
    chosen = None if text.startswith("/") else answers.chosen_option(text, options)
    offer = reports.checked_offer(tracker)
    if chosen is not None and offer is not None:
        return reports.ActionVerdictFeedback.reason(dispatcher, offer, options[chosen]["value"])
    # "tin này lừa đảo mà, họ bắt đóng 2tr tiền đào tạo": more about the offer, which it updates.
    return on_verdict(dispatcher, tracker, question, text, intent)


def on_signs(dispatcher, tracker, question, text, intent) -> list[dict]:
    return signs.explain_every_sign(dispatcher)


def on_nothing_open(dispatcher, tracker, question, text, intent) -> list[dict]:
    """A yes or no with no question on screen: a still-visible consent button counts, nothing else."""
    consent_shown = bot_said_before(tracker, [OFFER, OFFER_AGAIN])
    if consent_shown and (text.startswith("/affirm") or answers.is_title(text, consent_titles())):
        return open_case()
    if intent == "affirm" and latest_said(tracker, [OFFER, OFFER_AGAIN, DECLINED]) == DECLINED:
        # "ok em đồng ý cho cán bộ liên lạc" after saying no: a change of mind is asked
        # in one line, and only a yes to that question opens a case.
        return offer_handoff(dispatcher, tracker)
    dispatcher.utter_message(response="utter_ok")
    return []


HANDLERS: dict[str | None, Handler] = {
    answers.CONSENT: on_consent,
    answers.DELETE: on_delete,
    answers.OFFER_TEXT: on_offer_text,
    answers.VERDICT: on_verdict,
    answers.QUIZ: on_quiz,
    answers.QUIZ_MENU: on_quiz_menu,
    answers.REPORT: on_report,
    answers.FEEDBACK_REASON: on_feedback_reason,
    answers.SIGNS: on_signs,
}


class ActionAnswerOpenQuestion(Action):
    def name(self) -> str:
        return "action_answer_open_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        question = answers.open_question(tracker.events) or {}
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        handler = HANDLERS.get(question.get("kind"), on_nothing_open)
        return handler(dispatcher, tracker, question, latest_text(tracker), intent)
