"""The hand-off loop: while a case is open, every message goes to staff, and staff news comes back.

`action_handoff` is a Rasa loop: activated on consent, it runs for every
following message (Rasa's rule policy gives an active loop priority over all
rules, the danger rule included), until the user or staff end the case. Staff
news arrives as the external intent `EXTERNAL_handoff_update`, which the bot
service triggers; the action reads what to say from the database.
"""

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.referrals import refer, referral
from actions.runtime import count, database, latest_text, live_content, required, sent_a_screenshot, settings, user_key
from actions.session import bot_said_before
from bot.handoff import cases, conversation
from bot.handoff.cases import Reason
from bot.handoff.worker_queries import open_case_of
from contract.names import HANDOFF_UPDATE_INTENT, MESSAGE_KIND_KEY, PLATFORM_EVENT_INTENTS, STAFF_REPLY_KIND
from nlu.answers import CONSENT, DANGER_INTENT, OPEN_QUESTION

logger = logging.getLogger(__name__)
HANDOFF_LOOP = "action_handoff"
OFFER = "utter_offer_handoff"  # the question whose yes starts the loop
OFFER_AGAIN = "utter_offer_handoff_again"  # the same question, short, when it was asked before
DECLINED = "utter_handoff_declined"  # the answer to a no: the contacts, and "nhắn 'cứu' bất cứ lúc nào"
# Staff news, and platform events the connectors report: nothing for the transcript.
NOT_TYPED_BY_THE_USER = {HANDOFF_UPDATE_INTENT, *PLATFORM_EVENT_INTENTS}


class ActionHandoff(Action):
    def name(self) -> str:
        return HANDOFF_LOOP

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        content = live_content().templates.content
        handoff = content.handoff
        db, key = database(), user_key(tracker)
        # Said abroad at any point of the session: the short lines give the numbers that work there.
        abroad = referral(tracker, in_danger=False).abroad
        if tracker.active_loop_name != HANDOFF_LOOP:
            consent = conversation.as_seen(latest_text(tracker), content.messages.get(OFFER))
            step = _start(tracker, handoff, key, consent)
            return _say(dispatcher, step, abroad) + ([] if step.ends else [ActiveLoop(HANDOFF_LOOP)])
        step = conversation.updates_step(cases.take_updates(db, key))
        case = open_case_of(db, key)
        # Not get_intent_of_latest_message(): an external intent has no ranking, and that reads None.
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent not in NOT_TYPED_BY_THE_USER and case is not None:
            settings_of_handoff = required(handoff, "handoff.yml")
            # A screenshot reaches Rasa as "/check_job_offer" with a reference: staff see that one was sent.
            said = settings_of_handoff.screenshot_label if sent_a_screenshot(tracker) else latest_text(tracker)
            following = conversation.on_message(db, settings_of_handoff, case, said, in_danger=intent == DANGER_INTENT)
            step.says += following.says
            step.ends = following.ends
            step.refer_danger = following.refer_danger
        if case is None:
            step.ends = True
        events = _say(dispatcher, step, abroad)
        if step.refer_danger:
            refer(dispatcher, tracker, in_danger=True)
        return events + ([ActiveLoop(None)] if step.ends else [])


def _start(tracker: Tracker, handoff, key: str, consent: str) -> conversation.Step:
    try:
        return conversation.start(
            database(),
            handoff,
            user_key=key,
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            reason=_reason(tracker),
            consent_text=consent,
            notify_targets=settings().notify_targets,
            now=datetime.now(timezone.utc),
        )
    except Exception:  # whatever failed, the user must get the numbers, not silence
        logger.exception("could not open a case")
        return conversation.Step([conversation.Say("utter_handoff_unavailable")], ends=True)


def _reason(tracker: Tracker) -> str:
    """Danger if the user reported danger at any point of this session, however they asked for a person."""
    in_danger = any(
        event.get("event") == "user" and event.get("parse_data", {}).get("intent", {}).get("name") == DANGER_INTENT
        for event in tracker.events
    )
    return Reason.DANGER if in_danger else Reason.REQUEST


def _say(dispatcher: CollectingDispatcher, step: conversation.Step, abroad: bool) -> list[dict]:
    """`abroad`: the user said they are abroad, where 111 and 113 cannot be dialled."""
    for say in step.says:
        if say.response == "utter_handoff_staff_reply":
            # Marks a person's reply, which Messenger may send after its 24-hour window.
            dispatcher.utter_message(
                response=say.response, json_message={MESSAGE_KIND_KEY: STAFF_REPLY_KIND}, **say.arguments
            )
        else:
            dispatcher.utter_message(response=say.response, abroad=abroad, **say.arguments)
    return []


def offer_handoff(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict]:
    """Asks for consent: in full the first time in a conversation, in one line after that."""
    dispatcher.utter_message(response=OFFER_AGAIN if bot_said_before(tracker, [OFFER, OFFER_AGAIN]) else OFFER)
    return [SlotSet(OPEN_QUESTION, {"kind": CONSENT})]


class ActionOfferHandoff(Action):
    def name(self) -> str:
        return "action_offer_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return offer_handoff(dispatcher, tracker)


class ActionSessionStart(Action):
    """A new session (after an hour's silence) keeps an open hand-off running."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        count(tracker, lambda rec, channel, key: rec.conversation_started(channel, key))
        events: list[dict] = [SessionStarted()]
        events += [SlotSet(name, value) for name, value in tracker.slots.items() if value is not None]
        if open_case_of(database(), user_key(tracker)) is not None:
            events.append(ActiveLoop(HANDOFF_LOOP))
        events.append(ActionExecuted("action_listen"))
        return events
