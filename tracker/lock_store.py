"""Rasa's lock store, chosen by one URL.

`endpoints.yml` names this class. Without LOCK_STORE_URL, Rasa's in-memory
store: enough for one Rasa process. With `redis://host:port/db`, Rasa's Redis
store, so that several Rasa instances behind a load balancer take one
conversation's turns one at a time and in order.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore


def lock_store_for(url: str | None) -> LockStore:
    if not url:
        return InMemoryLockStore()
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"LOCK_STORE_URL must be redis://host:port/db, not {parsed.scheme}://…")
    return RedisLockStore(
        host=parsed.hostname or "localhost",
        port=parsed.port or 6379,
        db=int(parsed.path.lstrip("/") or 1),
        password=parsed.password,
        use_ssl=parsed.scheme == "rediss",
    )


class EnvironmentLockStore(LockStore):
    def __init__(self, endpoint_config: Any = None) -> None:
        self.store = lock_store_for(os.environ.get("LOCK_STORE_URL"))
        super().__init__()

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.store.save_lock(lock)
