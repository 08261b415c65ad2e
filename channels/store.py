"""What the connectors remember, in the application database.

- `channel_deliveries`: platform message ids already handled, so a platform's
  redelivery of the same webhook gets no second reply, also after a restart.
- `channel_echoes`: staff writing to a user from the platform's own inbox
  (Zalo's OA admin): when and to whom (a keyed hash), never what was written.
- `channel_last_message`: when each user last wrote, per platform: what a
  reply may be depends on it (Messenger's 24 hours, Zalo's 48 hours and 7
  days), and the console shows staff when a reply can no longer go free or at
  all.
- `channel_undelivered`: replies a platform refused or never took after every
  retry (when, to whom as a keyed hash, whether staff wrote it, the platform's
  reason; never the text). The staff console reads it (bot.handoff.cases), so
  staff know a reply did not reach the user.
- `channel_button_payloads`: button payloads too long for a platform's button
  (Telegram's 64-byte callback data) behind a short key.

The URL is `DATABASE_URL`, the same database as the bot service's; the tables
are created when missing. Calls are synchronous: run them in a thread.
"""
from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from channels.limits import BUTTON_PAYLOAD_MEMORY_DAYS, DELIVERY_MEMORY_DAYS

ROOT = Path(__file__).resolve().parent.parent
PURGE_EVERY_SECONDS = 3600

metadata = MetaData()

deliveries = Table(
    "channel_deliveries", metadata,
    Column("platform", String(16), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("message_id", String(128), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)

echoes = Table(
    "channel_echoes", metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    # The same keyed hash of the conversation id as the bot's `user_key`, so
    # erasing a user can reach these rows too.
    Column("user_key", String(64), nullable=False, index=True),
    Column("msg_id", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

undelivered = Table(
    "channel_undelivered", metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("user_key", String(64), nullable=False, index=True),
    Column("staff_reply", Boolean, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

last_messages = Table(
    "channel_last_message", metadata,
    Column("platform", String(16), primary_key=True),
    Column("user_key", String(64), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

button_payloads = Table(
    "channel_button_payloads", metadata,
    Column("key", String(32), primary_key=True),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'app.db'}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ChannelStore:
    def __init__(self, url: Optional[str] = None) -> None:
        url = url or database_url()
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: a failed statement is logged without its values (user keys).
        self.engine = create_engine(url, future=True, hide_parameters=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)
        self._purged_at = 0.0

    def first_time(self, platform: str, message_id: str, kind: str = "received") -> bool:
        """Remember this id; False when it was already remembered (a redelivery)."""
        self._purge_now_and_then()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(deliveries).values(platform=platform, kind=kind, message_id=message_id, seen_at=_now())
                )
        except IntegrityError:
            return False
        return True

    def user_wrote(self, platform: str, user_key: str, at: Optional[datetime] = None) -> None:
        """Remember that this user wrote (now, unless told when): the start of the platform's reply window."""
        at = at or _now()
        with self.engine.begin() as connection:
            done = connection.execute(
                update(last_messages).where(last_messages.c.platform == platform, last_messages.c.user_key == user_key)
                .values(at=at)
            ).rowcount
            if not done:
                try:
                    with connection.begin_nested():
                        connection.execute(insert(last_messages).values(platform=platform, user_key=user_key, at=at))
                except IntegrityError:
                    pass  # another instance wrote the row at the same moment: its time is as good

    def last_user_message(self, platform: str, user_key: str) -> Optional[datetime]:
        with self.engine.connect() as connection:
            at = connection.execute(
                select(last_messages.c.at).where(last_messages.c.platform == platform, last_messages.c.user_key == user_key)
            ).scalar()
        return at.replace(tzinfo=timezone.utc) if at is not None and at.tzinfo is None else at

    def record_echo(self, platform: str, user_key: str, msg_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(echoes).values(platform=platform, user_key=user_key, msg_id=msg_id, at=_now()))

    def record_undelivered(self, platform: str, user_key: str, staff_reply: bool, reason: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(undelivered).values(
                platform=platform, user_key=user_key, staff_reply=staff_reply, reason=reason[:200], at=_now(),
            ))

    def short_key(self, payload: str) -> str:
        """A short stable key for a payload; the same payload always gets the same key."""
        key = hashlib.sha256(payload.encode()).hexdigest()[:24]
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(button_payloads).values(key=key, payload=payload, created_at=_now()))
        except IntegrityError:
            # Sent again: keep it as long as from now.
            with self.engine.begin() as connection:
                connection.execute(update(button_payloads).where(button_payloads.c.key == key).values(created_at=_now()))
        return key

    def payload_for(self, key: str) -> Optional[str]:
        with self.engine.connect() as connection:
            return connection.execute(select(button_payloads.c.payload).where(button_payloads.c.key == key)).scalar()

    def purge_expired(self) -> None:
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(delete(deliveries).where(deliveries.c.seen_at < now - timedelta(days=DELIVERY_MEMORY_DAYS)))
            connection.execute(
                delete(button_payloads).where(button_payloads.c.created_at < now - timedelta(days=BUTTON_PAYLOAD_MEMORY_DAYS))
            )

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS:
            self._purged_at = time.monotonic()
            self.purge_expired()


def _sqlite_pragmas(connection, _record) -> None:
    # The bot service and the action server use the same file: wait for their writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
