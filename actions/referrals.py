"""The right verified contacts for what the user said."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import latest_text, live_content
from bot.referrals import referral_for


class _Refer(Action):
    in_danger = False

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        settings = live_content().templates.content.referrals
        referral = referral_for(latest_text(tracker), settings, in_danger=self.in_danger)
        dispatcher.utter_message(response=referral.response, embassy=referral.embassy)
        return []


class ActionReferDanger(_Refer):
    """Emergency contacts first, for where the person is: abroad or at home."""

    in_danger = True

    def name(self) -> Text:
        return "action_refer_danger"


class ActionRefer(_Refer):
    """A request for a number: the contacts for the situation described, or the main lines."""

    def name(self) -> Text:
        return "action_refer"
