"""What Rasa sends the action server: the latest turns in full, older events cut to what the actions read.

Rasa's `RemoteAction` serialises every event of the session into every call:
at turn 300 of a hand-off that was a quarter of the turn (the profile in
docs/benchmarks.md), and it grows with every message. The actions read the
whole session only for three facts (actions/session.py, actions/handoff.py):
what the user wrote and which intent it was read as, which responses the
assistant already sent, and where the session started. So the events from the
third-latest user message on go in full, as Rasa sends them (an open question
is read from the latest turns, nlu/answers.py; the SDK reads the latest
action's events), and the older ones as just those facts:

- a user message: its text, intent name and time;
- a bot message: the response it came from (`utter_action`) and its time;
- session starts and restarts, whole;
- everything else (slots, actions, loops) is already in the tracker's state.

`python -m tracker.launch` installs it before Rasa starts, like the response
validator (Rasa builds its RemoteAction objects itself).
"""

from __future__ import annotations

import itertools
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import BotUttered, Event, Restarted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from contract.names import BOT_RESPONSE_KEY

FULL_USER_TURNS = 3


class _SlimmedTracker:
    """The tracker as Rasa's `_action_call_format` reads it, its events slimmed; the rest of the body is Rasa's."""

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self._tracker = tracker
        self.sender_id = tracker.sender_id

    def current_state(self, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> dict[str, Any]:
        state = self._tracker.current_state(EventVerbosity.NONE)
        state["events"] = session_events(self._tracker)
        return state


def install() -> None:
    rasas_call_format = RemoteAction._action_call_format

    def action_call_format(action: RemoteAction, tracker: DialogueStateTracker, domain: Any) -> dict[str, Any]:
        return rasas_call_format(action, _SlimmedTracker(tracker), domain)

    RemoteAction._action_call_format = action_call_format


def session_events(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The events as the action server gets them: recent ones whole, older ones as the facts actions read."""
    events = tracker.events
    full_from = len(events) - _recent_count(events)
    older = itertools.islice(events, full_from)
    slim = [fact for fact in (_fact(event) for event in older) if fact is not None]
    return slim + [event.as_dict() for event in itertools.islice(events, full_from, None)]


def _recent_count(events: Any) -> int:
    """How many of the last events reach back to the FULL_USER_TURNS-th latest user message."""
    users = 0
    for count, event in enumerate(reversed(events), start=1):
        if isinstance(event, UserUttered):
            users += 1
            if users == FULL_USER_TURNS:
                return count
    return len(events)


def _fact(event: Event) -> dict[str, Any] | None:
    if isinstance(event, UserUttered):
        return {
            "event": UserUttered.type_name,
            "timestamp": event.timestamp,
            "text": event.text,
            "parse_data": {"intent": {"name": event.intent_name}},
        }
    if isinstance(event, BotUttered):
        response = (event.metadata or {}).get(BOT_RESPONSE_KEY)
        return {"event": BotUttered.type_name, "timestamp": event.timestamp, "metadata": {BOT_RESPONSE_KEY: response}}
    if isinstance(event, (SessionStarted, Restarted)):
        return event.as_dict()
    return None
