"""The policies' state history from the recent events: what rules and policies look at stays the same."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tracker.cached_store import StoredTracker, copy_tracker

DOMAIN_YAML = """
version: "3.1"
intents: [greet, thank, ask_hotline, report_danger, affirm]
entities: [country]
slots:
  open_question:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
actions: [action_refer, action_handoff, action_offer_handoff]
responses:
  utter_greet: [{text: "chào"}]
  utter_thank: [{text: "không có gì"}]
"""
DOMAIN = Domain.from_yaml(DOMAIN_YAML)
WINDOW = 40
TURNS = [("greet", "utter_greet", True), ("thank", "utter_thank", True), ("ask_hotline", "action_refer", False)]


@pytest.fixture(autouse=True)
def window():
    before = StoredTracker.history_events
    StoredTracker.history_events = WINDOW
    yield
    StoredTracker.history_events = before


def turn(tracker, intent, action, rule_only, entities=()):
    tracker.update(UserUttered(intent, {"name": intent, "confidence": 0.9}, list(entities)))
    tracker.update(ActionExecuted(action, hide_rule_turn=rule_only))
    tracker.update(BotUttered("..."))
    tracker.update(ActionExecuted("action_listen", hide_rule_turn=rule_only))


def conversation(turns, domain=DOMAIN):
    tracker = DialogueStateTracker("web-a", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    for n in range(turns):
        intent, action, rule_only = TURNS[n % len(TURNS)]
        turn(tracker, intent, action, rule_only, [{"entity": "country", "value": "Lào"}] if n % 4 == 0 else [])
    tracker.update(UserUttered("greet", {"name": "greet", "confidence": 0.9}))  # the message being answered
    return tracker


def stored(tracker):
    return copy_tracker(tracker)


def test_rules_see_the_same_latest_states():
    tracker = conversation(60)
    bounded = stored(tracker).past_states(DOMAIN)
    full = tracker.past_states(DOMAIN)
    assert len(bounded) < len(full) / 4
    # All but the first two: the window begins where the replay starts from nothing.
    assert bounded[2:] == full[-(len(bounded) - 2) :]


def test_ml_policies_see_the_same_latest_states_when_the_window_holds_them():
    tracker = conversation(60)
    rule_only_data = {"slots": [], "loops": []}
    bounded = stored(tracker).past_states(DOMAIN, ignore_rule_only_turns=True, rule_only_data=rule_only_data)
    full = tracker.past_states(DOMAIN, ignore_rule_only_turns=True, rule_only_data=rule_only_data)
    assert len(bounded) < len(full)
    assert bounded[-3:] == full[-3:]


def test_a_hand_off_running_across_the_window_is_replayed_whole():
    tracker = DialogueStateTracker("web-a", DOMAIN.slots)
    turn(tracker, "report_danger", "action_offer_handoff", False)
    tracker.update(ActiveLoop("action_handoff"))
    for _ in range(30):
        turn(tracker, "greet", "action_handoff", False)
    tracker.update(UserUttered("greet", {"name": "greet"}))

    assert stored(tracker).recent_events() is None
    assert stored(tracker).past_states(DOMAIN) == tracker.past_states(DOMAIN)


def test_a_hand_off_that_ended_inside_the_window_is_replayed_whole_and_one_long_over_is_not():
    tracker = DialogueStateTracker("web-a", DOMAIN.slots)
    turn(tracker, "report_danger", "action_offer_handoff", False)
    tracker.update(ActiveLoop("action_handoff"))
    for _ in range(30):
        turn(tracker, "greet", "action_handoff", False)
    tracker.update(ActiveLoop(None))  # ended a few turns ago: the window starts inside it
    for _ in range(3):
        turn(tracker, "greet", "utter_greet", False)
    tracker.update(UserUttered("greet", {"name": "greet"}))
    assert stored(tracker).recent_events() is None
    assert stored(tracker).past_states(DOMAIN) == tracker.past_states(DOMAIN)

    for _ in range(30):  # long over: the window holds no loop at all
        turn(tracker, "greet", "utter_greet", False)
    tracker.update(UserUttered("greet", {"name": "greet"}))
    assert stored(tracker).recent_events() is not None
    assert stored(tracker).past_states(DOMAIN)[-3:] == tracker.past_states(DOMAIN)[-3:]


def test_a_short_conversation_or_a_slot_that_shapes_the_dialogue_is_replayed_whole():
    assert stored(conversation(4)).recent_events() is None
    featurized = Domain.from_yaml(
        DOMAIN_YAML.replace(
            "type: any\n    influence_conversation: false", "type: text\n    influence_conversation: true"
        )
    )
    tracker = conversation(60, featurized)
    tracker.update(SlotSet("open_question", "consent"))
    assert stored(tracker).recent_events() is None
    assert stored(tracker).past_states(featurized) == tracker.past_states(featurized)


def test_the_window_starts_at_a_user_message_after_listening():
    recent = stored(conversation(60)).recent_events()
    assert recent is not None and WINDOW - 4 <= len(recent) <= WINDOW + 1
    assert isinstance(recent[1], UserUttered) and recent[0].action_name == "action_listen"


def test_applied_events_match_rasas_as_events_arrive_reverts_and_loops_included():
    from rasa.shared.core.events import ActionReverted, UserUtteranceReverted

    tracker = conversation(10)
    handed_out = stored(tracker)
    steps = [
        lambda t: turn(t, "greet", "utter_greet", False),
        lambda t: t.update(UserUtteranceReverted()),
        lambda t: turn(t, "report_danger", "action_offer_handoff", False),
        lambda t: t.update(ActiveLoop("action_handoff")),
        lambda t: turn(t, "greet", "action_handoff", False),
        lambda t: turn(t, "greet", "action_handoff", False),
        lambda t: t.update(ActionReverted()),
        lambda t: t.update(ActiveLoop(None)),
        lambda t: turn(t, "greet", "utter_greet", False),
    ]
    for step in steps:
        step(tracker)
        step(handed_out)
        assert handed_out.applied_events() == tracker.applied_events()
        handed_out = handed_out.copy()  # as Rasa copies it before each action
        assert handed_out.applied_events() == tracker.applied_events()
