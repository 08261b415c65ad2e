"""The right verified contacts for what the user said, and where they are."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import count, latest_text, live_content, required
from actions.session import bot_said_before, earlier_user_texts
from bot.referrals import LOST_MONEY, Referral, is_there_now, referral_for

REFER_DANGER = "action_refer_danger"
DANGER_BLOCKS = ("utter_referral_danger_abroad", "utter_referral_danger_home", "utter_referral_danger_again")


def referral(tracker: Tracker, in_danger: bool) -> Referral:
    settings = required(live_content().templates.content.referrals, "referrals.yml")
    return referral_for(latest_text(tracker), settings, in_danger=in_danger, earlier=earlier_user_texts(tracker))


def writes_from_abroad_now(text: str) -> bool:
    """ "gio e dang o bavet roi, ho cho xe toi don, e so qua": someone already there, not an ad."""
    settings = required(live_content().templates.content.referrals, "referrals.yml")
    return is_there_now(text, settings)


def money_already_paid(text: str) -> bool:
    """ "I paid a 3m deposit and they blocked me": what to do now comes with whatever else is said."""
    settings = required(live_content().templates.content.referrals, "referrals.yml")
    return referral_for(text, settings, in_danger=False).situation == LOST_MONEY


def refer(dispatcher: CollectingDispatcher, tracker: Tracker, in_danger: bool) -> list[dict]:
    found = referral(tracker, in_danger)
    repeated = in_danger and bot_said_before(tracker, DANGER_BLOCKS)
    # The second time in a conversation: short, and about what is new, not the same block again.
    response = "utter_referral_danger_again" if repeated else found.response
    count(tracker, lambda rec, channel, key: rec.referral_given(channel, key, found.situation))
    dispatcher.utter_message(
        response=response,
        embassy=found.embassy,
        abroad=found.abroad,
        facts=list(found.advice),
        for_someone_else=found.for_someone_else,
    )
    if in_danger and money_already_paid(latest_text(tracker)):
        dispatcher.utter_message(response="utter_referral_lost_money")
    return []


# rasa_sdk registers every Action subclass it finds, so there is no shared base class here.
class ActionReferDanger(Action):
    """Emergency contacts first, for where the person is: abroad or at home."""

    def name(self) -> str:
        return REFER_DANGER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return refer(dispatcher, tracker, in_danger=True)


class ActionRefer(Action):
    """A request for a number: the contacts for the situation described, or the main lines."""

    def name(self) -> str:
        return "action_refer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return refer(dispatcher, tracker, in_danger=False)
