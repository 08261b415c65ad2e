from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import latest_text, live_content
from bot.faq import best_topic


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        topic = best_topic(latest_text(tracker), live_content().templates.content.faq)
        if topic is None:
            dispatcher.utter_message(response="utter_faq_menu")
        else:
            dispatcher.utter_message(response="utter_faq_answer", topic=topic)
        return []
