"""The connectors' tables in the application database (channels/store.py says what each holds).

The connectors write them; the bot service reads two (the console shows
undelivered replies and staff writing from a platform's inbox) and deletes a
user's rows from all of them (bot.store.Database.erase_user), so their
definitions live here, where both may import them. Every row about a user
carries the same keyed `user_key` as the bot's tables (contract.identity).
"""

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint

connector_tables = MetaData()

inbox = Table(
    "channel_inbox",
    connector_tables,
    # Arrival order: a user's events are taken in this order.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("delivery_id", String(128), nullable=False),
    Column("user_key", String(64), nullable=False, index=True),
    # The event as JSON (channels.core.Inbound); NULL once done.
    Column("event", Text, nullable=True),
    Column("status", String(8), nullable=False, index=True),
    # Who holds it and until when: a worker that dies lets the lease run out.
    Column("leased_until", DateTime(timezone=True), nullable=True),
    Column("leased_by", String(64), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    # The last attempt ended but an action failed in it (channels.inbox): run it again.
    Column("rerun", Boolean, nullable=False, default=False),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("done_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("platform", "delivery_id", name="uq_channel_inbox_delivery"),
)

inbox_replies = Table(
    "channel_inbox_replies",
    connector_tables,
    Column("event_id", Integer, primary_key=True),
    Column("reply_index", Integer, primary_key=True),
    Column("user_key", String(64), nullable=False, index=True),
    # When the reply was first handed to the platform (written before the send).
    Column("at", DateTime(timezone=True), nullable=False),
    # When the platform accepted it; None while its fate is unknown (a crash
    # between the send and this record): channels.core `PlatformOutput.send_response`.
    Column("sent_at", DateTime(timezone=True), nullable=True),
)

echoes = Table(
    "channel_echoes",
    connector_tables,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    # The same keyed hash of the conversation id as the bot's `user_key`, so
    # erasing a user can reach these rows too.
    Column("user_key", String(64), nullable=False, index=True),
    Column("msg_id", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

undelivered = Table(
    "channel_undelivered",
    connector_tables,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("user_key", String(64), nullable=False, index=True),
    Column("staff_reply", Boolean, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

last_messages = Table(
    "channel_last_message",
    connector_tables,
    Column("platform", String(16), primary_key=True),
    Column("user_key", String(64), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

button_payloads = Table(
    "channel_button_payloads",
    connector_tables,
    Column("key", String(32), primary_key=True),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)
