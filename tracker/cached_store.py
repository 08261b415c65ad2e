"""Rasa's SQL tracker store without re-reading the whole conversation every turn.

Rasa's `SQLTrackerStore.retrieve` fetches every event of the session, parses
its JSON, builds an event object and replays it into a fresh tracker, on every
turn: a turn costs O(events) and a long hand-off slows down as it goes (the
profile in docs/benchmarks.md: half of a late turn was this). This store keeps,
per sender, the tracker as it was last saved or read, and hands out copies of it.

The database stays the truth. Before a cached tracker is used, one query reads
how many rows the sender has and their lowest and highest id:
- unchanged: the cached tracker is current;
- only rows above the cached highest id were added (another Rasa instance ran a
  turn; the lock store makes instances take turns): those rows alone are read
  and applied;
- anything else (rows deleted, a user erased, a new session started): the
  tracker is read the way Rasa reads it, and cached again.
A save of a tracker that extends the cached one writes only the events after
it (Rasa's save counts the session's rows to find them) and caches the saved
tracker with the ids the database gave the new rows.

The cache is bounded (least recently used senders are dropped first) by the
number of events it holds, the part of its memory that grows.

The trackers handed out (`StoredTracker`) also bound what the policies replay
at each prediction to the recent events (`history_events`), and copy
themselves without replaying. endpoints.yml can set `cached_events` and
`history_events` under `tracker_store`.
"""

from __future__ import annotations

import collections
import copy
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import sessionmaker

from contract.database import sqlite_engine_options, sqlite_pragmas

# About 3 kB each in memory (a user message holds its intent ranking): 20,000 events is ~60 MB.
DEFAULT_CACHED_EVENTS = 20_000
# About 25 turns: the policies look back 5 (max_history), rules 3 steps.
DEFAULT_HISTORY_EVENTS = 100


@dataclass(frozen=True)
class StoredRows:
    """What one cheap query says about a sender's rows: enough to tell whether a cached tracker is current."""

    count: int
    first_id: int | None
    last_id: int | None


@dataclass(frozen=True)
class CachedConversation:
    tracker: DialogueStateTracker  # never handed out: only copies of it leave the cache
    rows: StoredRows


@dataclass(frozen=True)
class AppliedEvents:
    """Rasa's applied events of a tracker's first `count` events, the last of which is `last`."""

    count: int
    last: Event | None
    loop_names: frozenset[str]
    applied: list[Event]  # never changed in place: copies share it

    @classmethod
    def after(cls, events: collections.deque, loop_names: frozenset[str], applied: list[Event]) -> AppliedEvents:
        return cls(len(events), events[-1] if events else None, loop_names, applied)

    def holds_a_prefix_of(self, events: collections.deque) -> bool:
        if self.count > len(events):
            return False
        return self.count == 0 or events[self.count - 1] is self.last


def may_undo(event: Event, loop_names: frozenset[str]) -> bool:
    """Could this event change which earlier events are applied (Rasa's `applied_events`)?"""
    if isinstance(event, (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)):
        return True
    return isinstance(event, ActionExecuted) and event.action_name in loop_names


class StoredTracker(DialogueStateTracker):
    """The trackers this store hands out: Rasa's, with three costs that grew with the conversation bounded.

    - `copy()`: Rasa copies the tracker before running each action
      (`MessageProcessor._run_action`); its copy replays every event.
    - The policies' state history (`past_states`, through
      `generate_all_prior_trackers`): every policy replays the whole session
      at every prediction. This replays the latest `history_events` events,
      from a user message on, which hold many more turns than any policy's
      `max_history` or rule. Rules see exactly what they saw. What is lost is
      what Rasa loses with its own `max_event_history`: ML policies (TED,
      memoization) skip rule-only turns, so when every turn of the window was
      rule-only they see fewer turns than they would have. Where state from
      before the window would show (a loop active across it, a slot that
      influences the conversation) the whole session is replayed as before.
    - `applied_events()`, called several times a turn (below).
    """

    history_events: int | None = None  # set by the store (`history_events` in endpoints.yml); None: all
    _applied: AppliedEvents | None = None  # what `applied_events` found last time, kept by copies

    def applied_events(self) -> list[Event]:
        """Rasa's `applied_events`, without going over the whole session at every call.

        Rasa calls it several times a turn, and each call replays every event
        to drop reverted ones. Events added since the last call that cannot undo
        anything (no restart, revert, loop change or loop action) are simply
        appended to what it found then, exactly as Rasa's loop would; otherwise
        Rasa's own method runs.
        """
        memo, events = self._applied, self.events
        if memo is not None and memo.holds_a_prefix_of(events):
            added = list(itertools.islice(events, memo.count, None))
            if not any(may_undo(event, memo.loop_names) for event in added):
                self._applied = AppliedEvents.after(events, memo.loop_names, memo.applied + added)
                return list(self._applied.applied)
        loop_names = frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)
        self._applied = AppliedEvents.after(events, loop_names, super().applied_events())
        return list(self._applied.applied)

    def copy(self) -> DialogueStateTracker:
        clone = copy_tracker(self)
        # What Rasa's copy (`travel_back_in_time`, from `init_copy`) leaves unset.
        clone.sender_source = clone.model_id = clone.assistant_id = None
        return clone

    def generate_all_prior_trackers(self) -> Iterator[tuple[DialogueStateTracker, bool]]:
        recent = self.recent_events()
        if recent is None:
            yield from super().generate_all_prior_trackers()
            return
        window = DialogueStateTracker(self.sender_id, self.slots.values(), is_rule_tracker=self.is_rule_tracker)
        window.events.extend(recent)
        yield from window.generate_all_prior_trackers()

    def recent_events(self) -> list[Event] | None:
        """The events from the action_listen before a user message about `history_events` back, or None for all."""
        if self.history_events is None or len(self.events) <= self.history_events:
            return None
        if any(slot.influence_conversation for slot in self.slots.values()):
            return None
        # The last events only (plus the one before them), read from the end: the cost of a turn stays flat.
        tail = list(itertools.islice(reversed(self.events), self.history_events + 1))[::-1]
        start = next(
            (i for i in range(1, len(tail)) if isinstance(tail[i], UserUttered) and is_listen(tail[i - 1])),
            None,
        )
        if start is None or self._loop_active_at(tail, start):
            return None
        return tail[start - 1 :]

    def _loop_active_at(self, tail: list[Event], start: int) -> bool:
        """Was a loop (the hand-off) running when `tail[start]` happened?

        Unless a loop started, ended or the conversation restarted since, the
        loop then is the loop now; only then is the whole session read back.
        """
        if not any(isinstance(event, LOOP_CHANGES) for event in tail[start:]):
            return self.active_loop_name is not None
        return loop_active_before(list(self.events), len(self.events) - len(tail) + start)


def copy_tracker(tracker: DialogueStateTracker) -> StoredTracker:
    """A tracker in the same state, whose changes do not reach the original.

    Unlike `tracker.copy()`, which replays every event, this copies the state
    attributes and shares the event objects, as Rasa's own
    `travel_back_in_time` does (events are not changed once applied).
    Generic over the attributes so that one Rasa adds is copied too.
    """
    clone = object.__new__(StoredTracker)
    for name, value in vars(tracker).items():
        if isinstance(value, collections.deque):
            value = collections.deque(value, maxlen=value.maxlen)
        elif name == "slots":
            value = {slot_name: copy.deepcopy(slot) for slot_name, slot in value.items()}
        elif not isinstance(value, Event):
            value = copy.copy(value)
        setattr(clone, name, value)
    return clone


def is_listen(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME


LOOP_CHANGES = (ActiveLoop, Restarted, SessionStarted)


def loop_active_before(events: list[Event], index: int) -> bool:
    """Was a loop (the hand-off) running when `events[index]` happened?"""
    for event in reversed(events[:index]):
        if isinstance(event, ActiveLoop):
            return event.name is not None
        if isinstance(event, (Restarted, SessionStarted)):
            return False
    return False


def extends(tracker: DialogueStateTracker, cached: DialogueStateTracker) -> bool:
    """Is `tracker` a copy of `cached` (from this cache) with events added after it?

    Copies share the event objects, so the cached tracker's last event, at the
    same place, tells (without comparing the whole session at every save).
    """
    count = len(cached.events)
    if len(tracker.events) < count:
        return False
    return count == 0 or tracker.events[count - 1] is cached.events[-1]


def starts_a_session(events: list[Event]) -> bool:
    return any(isinstance(event, SessionStarted) for event in events)


class ConversationCache:
    """Cached trackers by sender, least recently used dropped first beyond `max_events` events in all."""

    def __init__(self, max_events: int) -> None:
        self.max_events = max_events
        self._entries: collections.OrderedDict[str, CachedConversation] = collections.OrderedDict()
        self.events_held = 0

    def get(self, sender_id: str) -> CachedConversation | None:
        entry = self._entries.get(sender_id)
        if entry is not None:
            self._entries.move_to_end(sender_id)
        return entry

    def put(self, sender_id: str, tracker: DialogueStateTracker, rows: StoredRows) -> None:
        self.forget(sender_id)
        if len(tracker.events) > self.max_events:
            return
        snapshot = copy_tracker(tracker)
        # As Rasa's retrieve returns it: the processor sets these on every tracker it reads.
        snapshot.model_id = snapshot.assistant_id = None
        self._entries[sender_id] = CachedConversation(snapshot, rows)
        self.events_held += len(snapshot.events)
        while self.events_held > self.max_events:
            self.forget(next(iter(self._entries)))

    def forget(self, sender_id: str) -> None:
        entry = self._entries.pop(sender_id, None)
        if entry is not None:
            self.events_held -= len(entry.tracker.events)

    def __len__(self) -> int:
        return len(self._entries)


def sqlite_engine_for_turns(url: URL) -> Engine:
    """Rasa's SQLite engine opens a connection per query and waits for the disk at each commit.

    Every turn reads and writes the tracker, so the engine keeps its
    connections, set up as every process's SQLite connections are
    (`contract.database.sqlite_pragmas`: WAL, `synchronous=NORMAL`, so a commit
    is safe from a killed process without waiting for the disk). Measured in
    docs/benchmarks.md.
    """
    engine = sa.create_engine(url, **sqlite_engine_options(url))
    sa.event.listen(engine, "connect", sqlite_pragmas)
    return engine


class CachedSQLTrackerStore(SQLTrackerStore):
    engine: Engine  # Rasa's attribute, which Rasa leaves untyped

    def __init__(
        self,
        *args: Any,
        cached_events: int = DEFAULT_CACHED_EVENTS,
        history_events: int | None = DEFAULT_HISTORY_EVENTS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self.engine = sqlite_engine_for_turns(self.engine.url)
            self.sessionmaker = sessionmaker(bind=self.engine)
        self.cache = ConversationCache(int(cached_events))
        # One store per Rasa process: the trackers it hands out share the setting.
        StoredTracker.history_events = int(history_events) if history_events else None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._stored_rows(session, sender_id)
            if rows.count == 0:
                self.cache.forget(sender_id)
                return None
            tracker = self._cached_tracker(session, sender_id, rows)
            if tracker is None:
                tracker = self._read_session(session, sender_id, rows)
        return copy_tracker(tracker) if tracker is not None else None

    async def save(self, tracker: DialogueStateTracker) -> None:
        cached = self.cache.get(tracker.sender_id)
        self.cache.forget(tracker.sender_id)  # until the rows are known to match what is cached again
        if cached is None or not extends(tracker, cached.tracker):
            await super().save(tracker)  # Rasa counts the session's stored rows to find the new events
            return
        # The cached tracker is what the database held when this turn read it (the lock store keeps
        # other turns of this sender out until this save), so the new events are those after it.
        added = list(tracker.events)[len(cached.tracker.events) :]
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = [self._row_of(tracker.sender_id, event) for event in added]
            session.add_all(stored)
            session.flush()  # assigns the ids, read before the commit expires the objects
            last_id = max((row.id for row in stored), default=cached.rows.last_id)
            session.commit()
        if starts_a_session(added):
            return  # Rasa's retrieve returns only the new session: read it from the database next time
        rows = StoredRows(cached.rows.count + len(added), cached.rows.first_id, last_id)
        # Should another writer have slipped in, the next retrieve's count and ids disagree and it reads anew.
        self.cache.put(tracker.sender_id, tracker, rows)

    def _row_of(self, sender_id: str, event: Event) -> Any:
        """An event as Rasa's `SQLTrackerStore.save` stores it, so that Rasa reads it back the same."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    def forget(self, sender_id: str) -> None:
        self.cache.forget(sender_id)

    def _stored_rows(self, session: Any, sender_id: str) -> StoredRows:
        event = self.SQLEvent
        count, first_id, last_id = session.execute(
            sa.select(sa.func.count(event.id), sa.func.min(event.id), sa.func.max(event.id)).where(
                event.sender_id == sender_id
            )
        ).one()
        return StoredRows(count, first_id, last_id)

    def _cached_tracker(self, session: Any, sender_id: str, rows: StoredRows) -> DialogueStateTracker | None:
        """The cached tracker brought up to `rows`, or None when it cannot be."""
        cached = self.cache.get(sender_id)
        if cached is None or cached.rows.first_id != rows.first_id or cached.rows.last_id is None:
            return None
        if cached.rows == rows:
            return cached.tracker
        new_rows = (
            session.query(self.SQLEvent.data)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > cached.rows.last_id)
            .filter(self.SQLEvent.id <= rows.last_id)
            .order_by(self.SQLEvent.id)
            .all()
        )
        if cached.rows.count + len(new_rows) != rows.count:
            return None
        new_events = deserialise_events([json.loads(row.data) for row in new_rows])
        if starts_a_session(new_events):
            return None
        tracker = copy_tracker(cached.tracker)
        for event in new_events:
            tracker.update(event)
        self.cache.put(sender_id, tracker, rows)
        return tracker

    def _read_session(self, session: Any, sender_id: str, rows: StoredRows) -> DialogueStateTracker | None:
        """Rasa's retrieve (the latest session's events, replayed), cached when no row arrived meanwhile."""
        stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        if not stored:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in stored], self.domain.slots)
        if stored[-1].id == rows.last_id:
            self.cache.put(sender_id, tracker, rows)
        return tracker
