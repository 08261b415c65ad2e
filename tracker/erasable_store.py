"""Rasa's SQL tracker store, configured by one URL, and able to forget a user.

`endpoints.yml` names this class; the URL comes from TRACKER_STORE_URL
(SQLite under var/ by default, PostgreSQL in production). It keeps recent
conversations in memory between turns (tracker/cached_store.py); an erased
conversation is dropped from there too.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from contract.database import tracker_store_url
from contract.names import ACTION_DELETE_MY_DATA
from tracker.cached_store import CachedSQLTrackerStore


def erasure_requested(tracker: DialogueStateTracker) -> bool:
    """Did the turn being saved run the deletion action?"""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_DELETE_MY_DATA:
            return True
    return False


class ErasableSQLTrackerStore(CachedSQLTrackerStore):
    def __init__(self, domain=None, host: str | None = None, event_broker=None, **kwargs: Any) -> None:
        url = make_url(tracker_store_url())
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database,
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
            **kwargs,
        )
        # Rasa makes the engine without it: a failed statement would log the events it
        # was writing (every message of the conversation) with the error.
        self.engine.hide_parameters = True

    async def save(self, tracker: DialogueStateTracker) -> None:
        if erasure_requested(tracker):
            await self.erase(tracker.sender_id)
            return
        await super().save(tracker)

    async def erase(self, sender_id: str) -> None:
        self.forget(sender_id)
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
