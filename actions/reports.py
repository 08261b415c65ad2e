"""Reporting a checked offer to campaign staff ("Báo tin này"), and hearing back when it is confirmed.

Pressing the verdict's button asks first: what is sent (the offer and the
contacts in it, never who the user is) and whether they want to be told the
outcome. Only a pressed choice files the report (bot/knownscams/reports.py).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import OFFER_CHECK
from actions.runtime import database, user_key
from bot.knownscams.reports import Subscriber, confirmed_for, file_report
from contract.names import REPORT_ID_ENTITY

log = logging.getLogger(__name__)
CHOICE = "report_choice"
NOTIFY, QUIET, CANCEL = "notify", "quiet", "cancel"


def checked_offer(tracker: Tracker) -> dict[str, Any] | None:
    state = tracker.get_slot(OFFER_CHECK)
    return state if isinstance(state, dict) and state.get("text") else None


class ActionReportOffer(Action):
    def name(self) -> str:
        return "action_report_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        offer = checked_offer(tracker)
        choice = next(tracker.get_latest_entity_values(CHOICE), None)
        if offer is None:
            dispatcher.utter_message(response="utter_report_nothing")
        elif choice == CANCEL:
            dispatcher.utter_message(response="utter_report_cancelled")
        elif choice in (NOTIFY, QUIET):
            subscriber = self.subscriber(tracker) if choice == NOTIFY else None
            file_report(database(), offer["text"], offer.get("risk") or "", subscriber)
            dispatcher.utter_message(response="utter_report_sent", notify=choice == NOTIFY)
        else:
            dispatcher.utter_message(response="utter_report_ask")
        return []

    @staticmethod
    def subscriber(tracker: Tracker) -> Subscriber:
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
        dispatcher.utter_message(response="utter_report_confirmed", reported=found.reported_at.strftime("%d/%m/%Y"))
        return []
