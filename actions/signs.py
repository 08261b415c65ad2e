"""The warning signs: a short list of titles first, the explanations only when asked, in phone-sized parts."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import live_content

# Room in one bubble for explanations, under the 1,000 characters a phone shows comfortably.
BUBBLE_CHARS = 850


def in_bubbles(signs: Dict[str, Any]) -> List[List[str]]:
    """Sign ids grouped so that each group's titles and explanations fit one bubble."""
    bubbles: List[List[str]] = [[]]
    used = 0
    for sign_id, sign in signs.items():
        size = len(sign.title) + len(sign.explanation) + 6
        if bubbles[-1] and used + size > BUBBLE_CHARS:
            bubbles.append([])
            used = 0
        bubbles[-1].append(sign_id)
        used += size
    return bubbles


class ActionWarningSigns(Action):
    def name(self) -> Text:
        return "action_warning_signs"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if next(tracker.get_latest_entity_values("sign_detail"), None) != "all":
            dispatcher.utter_message(response="utter_warning_signs")
            return []
        for chunk in in_bubbles(live_content().templates.content.signs):
            dispatcher.utter_message(response="utter_warning_signs_detail", chunk=chunk)
        return []
