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
A save caches the saved tracker only when it extends the cached one and the
rows in the database are exactly the cached ones plus the new events.

The cache is bounded (least recently used senders are dropped first) by the
number of events it holds, the part of its memory that grows.
"""

from __future__ import annotations

import collections
import copy
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

# About 3 kB each in memory (a user message holds its intent ranking): 20,000 events is ~60 MB.
DEFAULT_CACHED_EVENTS = 20_000


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


class StoredTracker(DialogueStateTracker):
    """The trackers this store hands out: Rasa's, with a `copy()` that does not replay the conversation.

    Rasa copies the tracker before running each action (`MessageProcessor._run_action`);
    its `copy()` replays every event into a new tracker, O(events) per action.
    """

    def copy(self) -> DialogueStateTracker:
        clone = copy_tracker(self)
        # What Rasa's copy (`travel_back_in_time`, from `init_copy`) leaves unset.
        clone.sender_source = clone.model_id = clone.assistant_id = None
        return clone


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


def extends(tracker: DialogueStateTracker, cached: DialogueStateTracker) -> bool:
    """Is `tracker` a copy of `cached` (from this cache) with events added after it?"""
    if len(tracker.events) < len(cached.events):
        return False
    return all(mine is theirs for mine, theirs in zip(tracker.events, cached.events, strict=False))


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


class CachedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cached_events: int = DEFAULT_CACHED_EVENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache = ConversationCache(int(cached_events))

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
        await super().save(tracker)
        if cached is None or not extends(tracker, cached.tracker):
            return
        added = list(tracker.events)[len(cached.tracker.events) :]
        if starts_a_session(added):
            return  # Rasa's retrieve returns only the new session: read it from the database next time
        with self.session_scope() as session:
            rows = self._stored_rows(session, tracker.sender_id)
        if rows.count == cached.rows.count + len(added) and rows.first_id == cached.rows.first_id:
            self.cache.put(tracker.sender_id, tracker, rows)

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
