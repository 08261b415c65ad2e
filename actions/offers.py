"""Checking a job offer in the conversation, then asking about what it leaves out."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import latest_text, live_content
from bot.offers import UNCLEAR, OfferChecker
from bot.offers.ocr import OcrUnavailable, text_from_image_url
from bot.offers.reply import verdict_arguments

OFFER_CHECK = "offer_check"
ANSWERS_BY_INTENT = {"affirm": "yes", "deny": "no"}
ANSWERS = ("yes", "no", "unknown")


def checker() -> OfferChecker:
    return OfferChecker(live_content().templates.content)


def image_url(tracker: Tracker) -> Optional[str]:
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("image_url")


class ActionCheckOffer(Action):
    """A pasted or photographed offer gets a verdict; a bare request gets asked for the offer."""

    def name(self) -> Text:
        return "action_check_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        offer = latest_text(tracker)
        url = image_url(tracker)
        if url:
            try:
                offer = await text_from_image_url(url)
            except OcrUnavailable:
                offer = ""
            if not offer.strip():
                dispatcher.utter_message(response="utter_offer_no_text_in_image")
                return [SlotSet(OFFER_CHECK, None)]
        verdict = checker().check(offer)
        if verdict.risk == UNCLEAR and not verdict.signs:
            dispatcher.utter_message(response="utter_ask_offer")
            return [SlotSet(OFFER_CHECK, None)]
        dispatcher.utter_message(response="utter_offer_verdict", **verdict_arguments(verdict))
        if verdict.risk != UNCLEAR:
            dispatcher.utter_message(response="utter_offer_next_steps", risk=verdict.risk)
        state = {"score": verdict.score, "floor": verdict.floor, "questions": [q.id for q in verdict.questions],
                 "asked": None}
        return [SlotSet(OFFER_CHECK, state)]


class ActionAskOfferQuestion(Action):
    """The next follow-up question about the offer, if any is left."""

    def name(self) -> Text:
        return "action_ask_offer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        state = tracker.get_slot(OFFER_CHECK)
        if not state or not state.get("questions"):
            return []
        question = checker().question(state["questions"][0])
        if question is None:
            return [SlotSet(OFFER_CHECK, None)]
        dispatcher.utter_message(response="utter_offer_question", question=question.text)
        return [SlotSet(OFFER_CHECK, {**state, "asked": question.id, "questions": state["questions"][1:]})]


class ActionAnswerOfferQuestion(Action):
    def name(self) -> Text:
        return "action_answer_offer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        state = tracker.get_slot(OFFER_CHECK)
        if not state or not state.get("asked"):
            dispatcher.utter_message(response="utter_default")
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answer = next(tracker.get_latest_entity_values("offer_answer"), None) or ANSWERS_BY_INTENT.get(intent)
        answer = answer if answer in ANSWERS else "unknown"
        # A fee, an ID handed over, travel abroad arranged: no answer brings the risk below medium.
        score, risk = checker().rescore(state["score"], state["asked"], answer, floor=state.get("floor", "low"))
        dispatcher.utter_message(response="utter_offer_rescored", risk=risk)
        if not state["questions"] and risk != "low":
            dispatcher.utter_message(response="utter_offer_next_steps", risk=risk)
        return [SlotSet(OFFER_CHECK, {**state, "score": score, "asked": None})]
