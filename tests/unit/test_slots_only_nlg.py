"""The NLG request Rasa sends the bot service carries the slots, not the conversation."""

from __future__ import annotations

import json
from pathlib import Path

from rasa.core.nlg.callback import nlg_request_format
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content import LiveContent
from bot.service import render_response
from tracker.nlg import slots_only_request

ROOT = Path(__file__).resolve().parents[2]


def conversation(turns: int) -> DialogueStateTracker:
    events = [SlotSet("embassy", "embassy_cambodia"), SlotSet("abroad", True)]
    for turn in range(turns):
        events += [
            UserUttered(f"tin nhắn riêng tư số {turn}", {"name": "greet", "confidence": 1.0}),
            ActionExecuted("utter_greet"),
            BotUttered("xin chào"),
            ActionExecuted("action_listen"),
        ]
    return DialogueStateTracker.from_events("zalo-user-1", events)


def test_the_request_does_not_grow_with_the_conversation_and_carries_no_message():
    short, long = conversation(2), conversation(300)
    short_body = slots_only_request("utter_greet", short, "zalo", {})
    long_body = slots_only_request("utter_greet", long, "zalo", {})
    assert len(json.dumps(long_body)) == len(json.dumps(short_body))
    assert "riêng tư" not in json.dumps(long_body, ensure_ascii=False)
    assert long_body["tracker"]["slots"]["embassy"] == "embassy_cambodia"
    # Rasa's own body for the same turn: the size of the whole conversation.
    assert len(json.dumps(nlg_request_format("utter_greet", long, "zalo"))) > 50 * len(json.dumps(long_body))


def test_every_response_renders_the_same_from_the_slots_as_from_the_whole_tracker():
    content = LiveContent(ROOT / "content")
    tracker = conversation(3)
    arguments = {"embassy": "embassy_cambodia"}
    names = sorted(content.templates.messages)
    fallback = render_response(content, {"response": "utter_technical_problem", "channel": {"name": "telegram"}})
    rendered = 0
    for name in names:
        full = nlg_request_format(name, tracker, "telegram", **dict(arguments))
        slim = slots_only_request(name, tracker, "telegram", dict(arguments))
        reply = render_response(content, slim)
        assert reply == render_response(content, full), name
        rendered += reply != fallback
    # Most need no argument beyond these; a comparison of fallbacks alone would prove nothing.
    assert rendered > len(names) / 2
