"""After a verdict: reporting the offer to campaign staff ("Báo tin này"), hearing back, and feedback (👍/👎).

Pressing "Báo tin này" asks first: what is sent (the offer and the contacts
in it, never who the user is) and whether they want to be told the outcome.
Only a pressed choice files the report (bot/knownscams/reports.py). Feedback
is counted without the offer (bot/knownscams/feedback.py); staff see it next
to the offer's text only when the same user reported that offer. The ids of
both are kept in the `offer_check` slot, so either links to the other.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import OFFER_CHECK
from actions.runtime import database, live_content, user_key
from bot.handoff.conversation import VIETNAM_TIME
from bot.handoff.presentation import as_utc
from bot.knownscams import feedback
from bot.knownscams.reports import Subscriber, confirmed_for, file_report
from contract.names import REPORT_ID_ENTITY
from nlu.answers import FEEDBACK_REASON, OPEN_QUESTION, REPORT, VERDICT

log = logging.getLogger(__name__)
CHOICE = "report_choice"
NOTIFY, QUIET, CANCEL = "notify", "quiet", "cancel"
ASK, ASK_AGAIN = "utter_report_ask", "utter_report_ask_again"
ASK_REASON = "utter_feedback_ask_reason"
FEEDBACK = "feedback"  # the entity: helpful, wrong, or a reason (feedback.REASONS)


def checked_offer(tracker: Tracker) -> dict[str, Any] | None:
    state = tracker.get_slot(OFFER_CHECK)
    return state if isinstance(state, dict) and state.get("text") else None


class ActionReportOffer(Action):
    def name(self) -> str:
        return "action_report_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return report_offer(dispatcher, tracker, next(tracker.get_latest_entity_values(CHOICE), None))


def report_offer(dispatcher: CollectingDispatcher, tracker: Tracker, choice: str | None) -> list[dict]:
    """Files the checked offer on a choice; without one, asks, and the typed answer comes back here."""
    offer = checked_offer(tracker)
    if offer is None:
        dispatcher.utter_message(response="utter_no_checked_offer")
        return []
    if choice == CANCEL:
        dispatcher.utter_message(response="utter_report_cancelled")
        return [ABOUT_THE_OFFER]
    if choice not in (NOTIFY, QUIET):
        return ask_report_choice(dispatcher, ASK)
    subscriber = _subscriber(tracker) if choice == NOTIFY else None
    report_id = file_report(database(), offer["text"], offer.get("risk") or "", subscriber)
    if offer.get("feedback_id"):
        feedback.link_to_report(database(), offer["feedback_id"], report_id)
    dispatcher.utter_message(response="utter_report_sent", notify=choice == NOTIFY)
    return [SlotSet(OFFER_CHECK, {**offer, "report_id": report_id}), ABOUT_THE_OFFER]


def ask_report_choice(dispatcher: CollectingDispatcher, response: str) -> list[dict]:
    """The three choices travel in `open_question`: "có", "1", "gửi không cần báo" are answers too."""
    dispatcher.utter_message(response=response)
    return [SlotSet(OPEN_QUESTION, {"kind": REPORT, "options": button_options(ASK, CHOICE), "asked": response})]


def button_options(response: str, entity: str) -> list[dict[str, str]]:
    """A response's buttons as options a typed answer can name: by number, title, or words; `value` is the entity's."""
    buttons = live_content().templates.content.messages[response].buttons
    return [
        {"letter": str(n), "text": b.title, "value": json.loads(b.payload[b.payload.index("{") :])[entity]}
        for n, b in enumerate(buttons, 1)
    ]


# After a report or feedback, what the person says next is about the same offer again.
ABOUT_THE_OFFER = SlotSet(OPEN_QUESTION, {"kind": VERDICT})


def _subscriber(tracker: Tracker) -> Subscriber:
    channel = tracker.get_latest_input_channel() or "rest"
    return Subscriber(user_key(tracker), tracker.sender_id, channel)


class ActionReportNotice(Action):
    """Triggered by the bot service (bot/knownscams/notices.py) when a report this user made was confirmed."""

    def name(self) -> str:
        return "action_report_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        report_id = next(tracker.get_latest_entity_values(REPORT_ID_ENTITY), "")
        found = str(report_id).isdigit() and confirmed_for(database(), int(report_id), user_key(tracker))
        if not found:  # erased since, or not this user's: nothing to say
            return []
        dispatcher.utter_message(
            response="utter_report_confirmed",
            reported=as_utc(found.reported_at).astimezone(VIETNAM_TIME).strftime("%d/%m/%Y"),
        )
        return []


class ActionVerdictFeedback(Action):
    """👍 counts at once; 👎 counts at once and asks why (the reason then completes the same row)."""

    def name(self) -> str:
        return "action_verdict_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        offer = checked_offer(tracker)
        answer = next(tracker.get_latest_entity_values(FEEDBACK), None)
        if offer is None:
            dispatcher.utter_message(response="utter_no_checked_offer")
            return []
        if answer in feedback.REASONS:
            return self.reason(dispatcher, offer, answer)
        if answer not in (feedback.HELPFUL, feedback.WRONG):
            dispatcher.utter_message(response="utter_feedback_ask")
            return []
        feedback_id = offer.get("feedback_id")
        if not feedback_id:  # one answer per verdict: pressing again does not count twice
            feedback_id = feedback.record(database(), answer, offer.get("risk") or "", report_id=offer.get("report_id"))
        recorded = SlotSet(OFFER_CHECK, {**offer, "feedback_id": feedback_id})
        if answer == feedback.HELPFUL:
            dispatcher.utter_message(response="utter_feedback_thanks")
            return [recorded, ABOUT_THE_OFFER]
        # "What was wrong?": a button, its words, or the person's own account of the offer.
        dispatcher.utter_message(response=ASK_REASON)
        reasons = {"kind": FEEDBACK_REASON, "options": button_options(ASK_REASON, FEEDBACK)}
        return [recorded, SlotSet(OPEN_QUESTION, reasons)]

    @staticmethod
    def reason(dispatcher: CollectingDispatcher, offer: dict[str, Any], reason: str) -> list[dict]:
        feedback_id = offer.get("feedback_id")
        if feedback_id:
            feedback.give_reason(database(), feedback_id, reason)
        else:
            risk = offer.get("risk") or ""
            feedback_id = feedback.record(database(), feedback.WRONG, risk, reason, offer.get("report_id"))
        dispatcher.utter_message(response="utter_feedback_thanks_wrong")
        return [SlotSet(OFFER_CHECK, {**offer, "feedback_id": feedback_id}), ABOUT_THE_OFFER]
