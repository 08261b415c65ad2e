"""The right verified contacts for what the user said."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import latest_text, live_content
from bot.referrals import referral_for


def refer(dispatcher: CollectingDispatcher, tracker: Tracker, in_danger: bool) -> List[Dict]:
    settings = live_content().templates.content.referrals
    referral = referral_for(latest_text(tracker), settings, in_danger=in_danger)
    dispatcher.utter_message(response=referral.response, embassy=referral.embassy)
    return []


# rasa_sdk registers every Action subclass it finds, so there is no shared base class here.
class ActionReferDanger(Action):
    """Emergency contacts first, for where the person is: abroad or at home."""

    def name(self) -> Text:
        return "action_refer_danger"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        return refer(dispatcher, tracker, in_danger=True)


class ActionRefer(Action):
    """A request for a number: the contacts for the situation described, or the main lines."""

    def name(self) -> Text:
        return "action_refer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        return refer(dispatcher, tracker, in_danger=False)
