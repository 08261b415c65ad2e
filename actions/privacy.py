from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import database, user_key
from contract.names import ACTION_DELETE_MY_DATA
from nlu.answers import DELETE, OPEN_QUESTION


class ActionConfirmDelete(Action):
    """Erasing is asked as its own question, which only an explicit "xoá" answers (actions/dialogue.py)."""

    def name(self) -> str:
        return "action_confirm_delete"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        dispatcher.utter_message(response="utter_confirm_delete")
        return [SlotSet(OPEN_QUESTION, {"kind": DELETE})]


class ActionDeleteMyData(Action):
    """Erases the application rows here; the tracker store erases the conversation.

    The conversation itself is removed by `tracker.erasable_store`, which sees
    this action in the turn and deletes instead of saving, so nothing of the
    turn that asked for deletion is left behind either.
    """

    def name(self) -> str:
        return ACTION_DELETE_MY_DATA

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        database().erase_user(user_key(tracker))
        dispatcher.utter_message(response="utter_data_deleted")
        return []
