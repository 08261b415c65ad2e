"""What the connectors remember, in the application database.

- `channel_inbox`: every platform event, written before the platform is
  answered 200, taken by a worker (channels.inbox) in order per user, and
  marked done once its replies were sent or recorded as undeliverable. Its
  (platform, delivery id) is unique, so a redelivery of a queued or done event
  is dropped, also after a restart. The event (what the user wrote, the
  platform user id) is deleted when it is done: a done row keeps only ids,
  status and times, until DELIVERY_MEMORY_DAYS.
- `channel_inbox_replies`: the replies of an event in progress (event id and
  the reply's index in the turn), written before each is sent, and marked sent
  (once the platform accepted it) in the same commit as the turn's next record:
  the next reply's, or the event's given back; the last reply's is deleted
  with the event's text when it is done. So a turn run again after a crash
  does not send them twice; a reply attempted but not marked sent is one whose
  fate the crash left unknown (channels.core).
- `channel_echoes`: staff writing to a user from the platform's own inbox
  (Zalo's OA admin): when and to whom (a keyed hash), never what was written.
- `channel_last_message`: when each user last wrote, per platform (written
  in the commit that queues each event): what a reply may be depends on it
  (Messenger's 24 hours, Zalo's 48 hours and 7 days), and the console shows
  staff when a reply can no longer go free or at all.
- `channel_undelivered`: replies a platform refused or never took after every
  retry (when, to whom as a keyed hash, whether staff wrote it, the platform's
  reason; never the text). The staff console reads it (bot.handoff.cases), so
  staff know a reply did not reach the user.
- `channel_button_payloads`: button payloads too long for a platform's button
  (Telegram's 64-byte callback data) behind a short key.

The tables are defined in contract/tables.py, where the bot service reads them
too (the console, erasing a user). The URL is `DATABASE_URL`, the same
database as the bot service's; the tables are created when missing. Calls are
synchronous: run them in a thread.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, delete, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from contract.database import database_url, make_engine
from contract.limits import BUTTON_PAYLOAD_MEMORY_DAYS, DELIVERY_MEMORY_DAYS
from contract.tables import button_payloads, connector_tables, echoes, inbox, inbox_replies, last_messages, undelivered

PURGE_EVERY_SECONDS = 3600

QUEUED, DONE = "queued", "done"  # channel_inbox.status


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _insert_with_on_conflict(connection: Connection, table: Any) -> Any:
    """An INSERT that can say ON CONFLICT, on the two databases the project runs (SQLite, PostgreSQL)."""
    return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name](table)


def _utc(at: datetime) -> datetime:
    """SQLite gives back naive times: they were written in UTC."""
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at


@dataclass(frozen=True)
class ReplyRecord:
    """One reply of an inbox event: when it was first attempted, and whether the platform accepted it."""

    attempted_at: datetime
    sent: bool


class ChannelStore:
    def __init__(self, url: str | None = None) -> None:
        self.engine = make_engine(url or database_url())
        connector_tables.create_all(self.engine)
        self._purged_at = 0.0

    # --- the inbox ---

    def enqueue(self, platform: str, delivery_id: str, user_key: str, event: str) -> bool:
        """Queue an event and note that its user wrote; False when this delivery is
        already queued or done (a redelivery: then nothing is written)."""
        self._purge_now_and_then()
        now = _now()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(inbox).values(
                        platform=platform,
                        delivery_id=delivery_id,
                        user_key=user_key,
                        event=event,
                        status=QUEUED,
                        attempts=0,
                        rerun=False,
                        received_at=now,
                    )
                )
                # In the same commit: when the user last wrote decides what a
                # later reply may be (each platform's window; the console shows it).
                _note_user_wrote(connection, platform, user_key, now)
        except IntegrityError:
            return False
        return True

    def claim(self, platform: str, worker: str, lease_seconds: float, limit: int) -> list[dict[str, Any]]:
        """Lease up to `limit` events, each the oldest unfinished one of its user, none leased by a live worker.

        A user's next event waits while an earlier one is unfinished, wherever
        it is being handled, so each user's events run one at a time, in order.
        Candidates are read with FOR UPDATE SKIP LOCKED on PostgreSQL (ignored
        by SQLite), and each is taken by an UPDATE that re-checks the lease, so
        two instances never take the same event.
        """
        now = _now()
        earlier = inbox.alias("earlier")
        lease_free = or_(inbox.c.leased_until.is_(None), inbox.c.leased_until < now)
        candidates = (
            select(inbox.c.id, inbox.c.event, inbox.c.attempts, inbox.c.rerun)
            .where(
                inbox.c.platform == platform,
                inbox.c.status == QUEUED,
                lease_free,
                ~exists().where(
                    and_(
                        earlier.c.user_key == inbox.c.user_key,
                        earlier.c.status == QUEUED,
                        earlier.c.id < inbox.c.id,
                    )
                ),
            )
            .order_by(inbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        with self.engine.begin() as connection:
            for row in connection.execute(candidates).mappings().all():
                taken = connection.execute(
                    update(inbox)
                    .where(inbox.c.id == row["id"], inbox.c.status == QUEUED, lease_free)
                    .values(
                        leased_until=now + timedelta(seconds=lease_seconds),
                        leased_by=worker,
                        attempts=inbox.c.attempts + 1,
                    )
                ).rowcount
                # Taken: the row is as read, one attempt more (PostgreSQL locked it
                # when it was read; on SQLite one worker per platform claims).
                if taken:
                    claimed.append({**row, "attempts": row["attempts"] + 1})
        return claimed

    def renew(self, event_ids: list[int], worker: str, lease_seconds: float) -> None:
        """Extend the lease of the events this worker is still handling."""
        if not event_ids:
            return
        with self.engine.begin() as connection:
            connection.execute(
                update(inbox)
                .where(inbox.c.id.in_(event_ids), inbox.c.leased_by == worker, inbox.c.status == QUEUED)
                .values(leased_until=_now() + timedelta(seconds=lease_seconds))
            )

    def release(
        self, event_id: int, worker: str, retry_after_seconds: float, rerun: bool, sent: Sequence[int] = ()
    ) -> None:
        """Give an event back, to be taken again after `retry_after_seconds`; the
        replies in `sent` (indexes) were accepted by the platform and are marked so."""
        with self.engine.begin() as connection:
            _mark_sent(connection, event_id, sent)
            connection.execute(
                update(inbox)
                .where(inbox.c.id == event_id, inbox.c.leased_by == worker, inbox.c.status == QUEUED)
                .values(leased_until=_now() + timedelta(seconds=retry_after_seconds), leased_by=None, rerun=rerun)
            )

    def done(self, event_id: int) -> bool:
        """The event's replies are out: forget what the user wrote, keep the id for dedupe.

        Whether a reply was marked sent no longer matters once the event is done
        (its records go), so the turn's last reply is never marked on its own.
        Returns whether the same user has a later event waiting (for the worker:
        only then can finishing this turn have made an event claimable).
        """
        later = inbox.alias("later")
        with self.engine.begin() as connection:
            connection.execute(
                update(inbox)
                .where(inbox.c.id == event_id)
                .values(status=DONE, event=None, leased_until=None, leased_by=None, done_at=_now())
            )
            connection.execute(delete(inbox_replies).where(inbox_replies.c.event_id == event_id))
            return bool(
                connection.execute(
                    select(
                        exists().where(
                            later.c.user_key == inbox.c.user_key,  # one conversation: one platform
                            later.c.status == QUEUED,
                            later.c.id > inbox.c.id,
                        )
                    ).where(inbox.c.id == event_id)
                ).scalar()
            )

    def reply_records(self, event_id: int) -> dict[int, ReplyRecord]:
        """What an earlier run of this event's turn recorded of each reply, by index."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(inbox_replies.c.reply_index, inbox_replies.c.at, inbox_replies.c.sent_at).where(
                    inbox_replies.c.event_id == event_id
                )
            ).all()
        return {index: ReplyRecord(_utc(at), sent_at is not None) for index, at, sent_at in rows}

    def reply_attempted(self, event_id: int, reply_index: int, user_key: str, sent: Sequence[int] = ()) -> None:
        """Before a reply is handed to the platform: its fate is unknown until it is marked sent.

        The replies in `sent` (indexes: the turn's earlier ones the platform
        accepted since the last record) are marked sent in the same commit.
        """
        with self.engine.begin() as connection:
            _mark_sent(connection, event_id, sent)
            connection.execute(
                _insert_with_on_conflict(connection, inbox_replies)
                .values(event_id=event_id, reply_index=reply_index, user_key=user_key, at=_now(), sent_at=None)
                # Attempted by an earlier run of the same turn: the first attempt's time stands.
                .on_conflict_do_nothing(index_elements=[inbox_replies.c.event_id, inbox_replies.c.reply_index])
            )

    def mark_sent(self, event_id: int, reply_indexes: Sequence[int]) -> None:
        """The platform accepted these replies (where a crash's unknown fate cannot be looked up later)."""
        with self.engine.begin() as connection:
            _mark_sent(connection, event_id, reply_indexes)

    def user_wrote(self, platform: str, user_key: str, at: datetime | None = None) -> None:
        """Remember that this user wrote (now, unless told when): the start of the platform's reply window."""
        with self.engine.begin() as connection:
            _note_user_wrote(connection, platform, user_key, at or _now())

    def last_user_message(self, platform: str, user_key: str) -> datetime | None:
        with self.engine.connect() as connection:
            at = connection.execute(
                select(last_messages.c.at).where(
                    last_messages.c.platform == platform, last_messages.c.user_key == user_key
                )
            ).scalar()
        return None if at is None else _utc(at)

    def record_echo(self, platform: str, user_key: str, msg_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(echoes).values(platform=platform, user_key=user_key, msg_id=msg_id, at=_now()))

    def record_undelivered(self, platform: str, user_key: str, staff_reply: bool, reason: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(undelivered).values(
                    platform=platform,
                    user_key=user_key,
                    staff_reply=staff_reply,
                    reason=reason[:200],
                    at=_now(),
                )
            )

    def short_key(self, payload: str) -> str:
        """A short stable key for a payload; the same payload always gets the same key."""
        key = hashlib.sha256(payload.encode()).hexdigest()[:24]
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(button_payloads).values(key=key, payload=payload, created_at=_now()))
        except IntegrityError:
            # Sent again: keep it as long as from now.
            with self.engine.begin() as connection:
                connection.execute(
                    update(button_payloads).where(button_payloads.c.key == key).values(created_at=_now())
                )
        return key

    def payload_for(self, key: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(select(button_payloads.c.payload).where(button_payloads.c.key == key)).scalar()

    def purge_expired(self) -> None:
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                delete(inbox).where(
                    inbox.c.status == DONE,
                    inbox.c.done_at < now - timedelta(days=DELIVERY_MEMORY_DAYS),
                )
            )
            connection.execute(
                delete(button_payloads).where(
                    button_payloads.c.created_at < now - timedelta(days=BUTTON_PAYLOAD_MEMORY_DAYS)
                )
            )

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS:
            self._purged_at = time.monotonic()
            self.purge_expired()


def _mark_sent(connection: Connection, event_id: int, reply_indexes: Sequence[int]) -> None:
    if reply_indexes:
        connection.execute(
            update(inbox_replies)
            .where(inbox_replies.c.event_id == event_id, inbox_replies.c.reply_index.in_(list(reply_indexes)))
            .values(sent_at=_now())
        )


def _note_user_wrote(connection: Connection, platform: str, user_key: str, at: datetime) -> None:
    """One statement whether or not the user wrote before (another instance may be writing the same row)."""
    statement = _insert_with_on_conflict(connection, last_messages).values(platform=platform, user_key=user_key, at=at)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[last_messages.c.platform, last_messages.c.user_key], set_={"at": statement.excluded.at}
        )
    )
