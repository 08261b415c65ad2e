"""The action server gets older events cut to what the actions read, and the actions answer the same."""

import json

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker

from actions.handoff import OFFER, _reason
from actions.referrals import DANGER_BLOCKS
from actions.session import bot_said_before, earlier_user_texts
from nlu import answers
from tracker import action_payload

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, report_danger, affirm]
slots:
  open_question:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "chào"}]
"""
)


def turn(tracker, text, intent, response, question=None):
    tracker.update(
        UserUttered(text, {"name": intent, "confidence": 0.9}, parse_data={"text": text}, input_channel="web")
    )
    tracker.update(ActionExecuted(response))
    tracker.update(BotUttered(f"trả lời {text}", metadata={"utter_action": response}))
    if question:
        tracker.update(SlotSet("open_question", question))
    tracker.update(ActionExecuted("action_listen"))


def long_conversation(turns=200):
    tracker = DialogueStateTracker("web-a", DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    turn(tracker, "em bị giữ ở campuchia", "report_danger", DANGER_BLOCKS[0])
    turn(tracker, "giúp em", "affirm", OFFER)
    for n in range(turns):
        turn(tracker, f"tin nhắn {n}", "greet", "utter_greet")
    turn(tracker, "có không", "greet", "utter_greet", question={"kind": "consent"})
    turn(tracker, "có", "affirm", "utter_greet")
    return tracker


def sdk_tracker(tracker, events):
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = events
    return Tracker.from_dict(state)


@pytest.fixture
def both():
    tracker = long_conversation()
    full = sdk_tracker(tracker, tracker.current_state(EventVerbosity.ALL)["events"])
    slim = sdk_tracker(tracker, action_payload.session_events(tracker))
    return tracker, full, slim


def test_the_actions_read_the_same_facts_from_the_slimmed_events(both):
    _, full, slim = both
    kinds = {event["event"] for event in slim.events[:-12]}
    assert kinds == {"session_started", "user", "bot"}  # older slots and actions are in the tracker's state
    assert earlier_user_texts(slim) == earlier_user_texts(full)
    for names in ([OFFER], list(DANGER_BLOCKS), ["utter_greet"], ["utter_never_sent"]):
        assert bot_said_before(slim, names) == bot_said_before(full, names)
    assert _reason(slim) == _reason(full) == "danger"
    assert answers.open_question(slim.events) == answers.open_question(full.events) == {"kind": "consent"}
    assert slim.get_latest_input_channel() == full.get_latest_input_channel() == "web"
    assert slim.latest_message == full.latest_message


def test_the_latest_turns_go_whole_as_rasa_sends_them(both):
    tracker, full, slim = both
    assert slim.events[-12:] == full.events[-12:]


def test_the_request_body_is_rasas_with_only_the_events_slimmed(both, monkeypatch):
    tracker, _, _ = both
    action = RemoteAction("action_handoff", EndpointConfig("http://127.0.0.1:1/webhook"))
    rasas = action._action_call_format(tracker, DOMAIN)
    monkeypatch.setattr(RemoteAction, "_action_call_format", RemoteAction._action_call_format)
    action_payload.install()
    ours = action._action_call_format(tracker, DOMAIN)

    assert ours["tracker"]["events"] == action_payload.session_events(tracker)
    rasas["tracker"].pop("events"), ours["tracker"].pop("events")
    assert ours == rasas
    longer = long_conversation(600)
    slimmed, whole = action_payload.session_events(longer), longer.current_state(EventVerbosity.ALL)["events"]
    assert len(json.dumps(slimmed)) < 0.35 * len(json.dumps(whole))
