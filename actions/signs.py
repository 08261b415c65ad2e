"""The warning signs: a short list of titles first, the explanations only when asked, in phone-sized parts."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import live_content
from bot.offers.reply import signs_in_bubbles
from nlu.answers import OPEN_QUESTION, SIGNS


class ActionWarningSigns(Action):
    def name(self) -> str:
        return "action_warning_signs"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if next(tracker.get_latest_entity_values("sign_detail"), None) == "all":
            return explain_every_sign(dispatcher)
        dispatcher.utter_message(response="utter_warning_signs")
        # "xem thêm", "giải thích" typed instead of the button: every sign explained.
        return [SlotSet(OPEN_QUESTION, {"kind": SIGNS})]


def explain_every_sign(dispatcher: CollectingDispatcher) -> list[dict]:
    for chunk in signs_in_bubbles(live_content().templates.content.signs):
        dispatcher.utter_message(response="utter_warning_signs_detail", chunk=chunk)
    return []
