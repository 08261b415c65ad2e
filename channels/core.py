"""What the three platform connectors share.

A platform module says how its webhooks are signed and what its events mean
(`WebhookInput`) and how one reply is sent (`PlatformOutput`); everything else
lives here: refusing oversized, malformed or unsigned webhooks, writing each
event to the durable inbox before the platform is answered (channels.inbox
runs the turns from there, in order per user), dropping a delivery already
queued or handled, sending each reply of a turn once even when the turn is run
again after a crash, and turning a Rasa response into text parts and buttons.

Only payloads the connectors themselves produced reach Rasa as "/intent":
button payloads carry a keyed seal (`seal`), events of the platform (a
sticker, a new follower, an image) are marked as the connector's own, and
anything a user typed that starts with "/" is given to Rasa as plain words
(`as_typed`).

Nothing here logs what a user wrote or a platform user id in clear: a log line
that must tell users apart names the keyed `user_key` (`log_name`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.inbox import INBOX_KEY, Claimed, InboxWorker, turn_in_tracker
from channels.sending import Sender
from channels.store import ChannelStore, ReplyRecord
from contract.identity import app_secret_key, has_app_secret_key, user_key_for
from contract.limits import MAX_WEBHOOK_BODY_BYTES, cut_to, text_length
from contract.names import (
    CHECK_JOB_OFFER_INTENT,
    MESSAGE_KIND_KEY,
    PLATFORM_FOLLOW_INTENT,
    STAFF_REPLY_KIND,
    UNSUPPORTED_MESSAGE_INTENT,
)

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO: Telegram's URLs hold the bot token and
# Messenger's the page token.
logging.getLogger("httpx").setLevel(logging.WARNING)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

INTENT_PREFIX = "/"
# Intents the connectors send for platform events (domain.yml declares them).
UNSUPPORTED_MESSAGE = INTENT_PREFIX + UNSUPPORTED_MESSAGE_INTENT
PLATFORM_FOLLOW = INTENT_PREFIX + PLATFORM_FOLLOW_INTENT
CHECK_IMAGE = INTENT_PREFIX + CHECK_JOB_OFFER_INTENT
PHONE_PREFIX = "tel:"
# Between a button payload and its seal. A user never sees it: Zalo's
# oa.query.hide, Telegram's callback data and Messenger's quick-reply payload
# are all hidden from the chat.
SEAL_MARK = " ~"
SEAL_LENGTH = 16  # hex characters: 64 bits, against guesses sent one webhook at a time


# --- signatures and pseudonyms -------------------------------------------------------


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an absent value or an empty expectation never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def hmac_sha256_hex(key: str, body: bytes) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def sha256_hex(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def user_key(conversation_id: str) -> str:
    """The bot's `user_key` of a conversation, keyed with APP_SECRET_KEY (an enabled channel has it)."""
    return user_key_for(conversation_id, app_secret_key())


def log_name(conversation_id: str) -> str:
    """How a log line names a user: the start of the keyed `user_key`, as the console's
    "ND-…" reference does. An unkeyed hash would let anyone holding a candidate id confirm it."""
    return user_key(conversation_id)[:12]


# --- what may reach Rasa as an intent ---------------------------------------------------


def _seal_of(payload: str) -> str:
    return hmac.new(app_secret_key().encode(), b"button:" + payload.encode(), hashlib.sha256).hexdigest()[:SEAL_LENGTH]


def seal(payload: str) -> str:
    """A button payload as the connectors send it: the payload, then a keyed seal."""
    return f"{payload}{SEAL_MARK}{_seal_of(payload)}"


def sealed_length(payload: str) -> int:
    return len(seal(payload).encode())


def unseal(text: str) -> str | None:
    """The payload of a sealed button, or None when `text` is not one the connectors produced."""
    payload, mark, given = text.rpartition(SEAL_MARK)
    if not mark or not same_secret(given, _seal_of(payload)):
        return None
    return payload


def as_typed(text: str) -> str:
    """What a user typed, as Rasa must read it: words, never an "/intent".

    Rasa reads any text starting with "/" as an intent with entities
    (rasa/nlu/classifiers/regex_message_handler.py, through
    yaml_story_reader `unpack_regex_message`), so "/EXTERNAL_handoff_update" or "/affirm" typed
    by anyone would act as the bot's own events or buttons. The leading slashes
    are dropped (a leading space would not do: `UserMessage` strips the text),
    so the NLU classifies what is left like any other words.
    """
    words = text.lstrip()
    while words.startswith(INTENT_PREFIX):
        words = words[len(INTENT_PREFIX) :].lstrip()
    return words if words else UNSUPPORTED_MESSAGE


# --- what arrives ---------------------------------------------------------------------


@dataclass
class Inbound:
    """One event of a webhook, in the product's terms."""

    user: str
    delivery_id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    # A platform reference to act on before the turn, never given to Rasa
    # (Telegram's callback query id, answered at once).
    platform_ref: str | None = None
    # True when the connector itself chose `text` ("/unsupported_message", an
    # image): the only text that reaches Rasa unchanged. What a user sent,
    # typed or pressed, goes through `WebhookInput.rasa_text`.
    from_connector: bool = False


def connector_event(user: str, delivery_id: str, intent: str, metadata: dict[str, Any] | None = None) -> Inbound:
    return Inbound(user, delivery_id, intent, metadata or {}, from_connector=True)


@dataclass
class StaffEcho:
    """A message the platform says the account sent: ours, or staff writing from the platform's own inbox."""

    user: str
    msg_id: str


def image_message(user: str, delivery_id: str, image_url: str) -> Inbound:
    # The action server fetches the image and reads the offer in it.
    return connector_event(user, delivery_id, CHECK_IMAGE, {"image_url": image_url})


class Refused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class WebhookInput(InputChannel):
    """One platform's webhook: `/webhooks/<name>/webhook`.

    Subclasses set `platform`, implement `verify` and `events`, and build their
    output with `output()`. A platform without its settings is disabled: its
    webhook answers 404.
    """

    platform = ""
    refusal_status = 403
    # The longest text a user can send on the platform (contract.limits);
    # anything longer is cut before Rasa parses it.
    max_inbound_text = 0

    def __init__(self, enabled: bool, store_url: str | None = None) -> None:
        if enabled and not has_app_secret_key():
            # Without it the connectors' user references would not match the bot's:
            # erasing a user would miss their rows, staff would miss refused replies.
            logger.error(
                "%s channel disabled: APP_SECRET_KEY is not set (README, environment variables)", self.platform
            )
            enabled = False
        self.enabled = enabled
        self._store_url = store_url
        self._store: ChannelStore | None = None
        self.sender = Sender(self.platform)
        self.worker: InboxWorker | None = None
        self._on_new_message: OnNewMessage | None = None
        self._agent: Any = None  # Rasa's, to read a tracker when a turn may have run before a crash
        self._client: httpx.AsyncClient | None = None
        if not enabled:
            logger.info(
                "%s channel disabled: its settings are not in the environment (docs/channels.md)", self.platform
            )

    @classmethod
    def name(cls) -> str:
        return cls.platform

    @property
    def store(self) -> ChannelStore:
        # Opened on first use, so a disabled channel never touches the database.
        if self._store is None:
            self._store = ChannelStore(self._store_url)
        return self._store

    @property
    def client(self) -> httpx.AsyncClient:
        """One HTTP client per channel, made on first send (inside Rasa's event loop)."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10)
        return self._client

    # --- what a platform module provides ---

    def verify(self, request: Request, body: bytes, payload: Any) -> bool:
        raise NotImplementedError

    def events(self, payload: Any) -> Iterable[Any]:
        """The webhook's events: `Inbound`, `StaffEcho`, or None for those to ignore."""
        raise NotImplementedError

    def output(self, turn: Claimed | None = None) -> PlatformOutput:
        """The output for one inbox event's turn, or (None) for messages sent outside a turn (staff replies)."""
        raise NotImplementedError

    async def handshake(self, request: Request) -> HTTPResponse:
        return response.text("", status=405)

    def is_probe(self, payload: Any) -> bool:
        """An unsigned request the platform sends to check the URL (Zalo's `{}`): answered 200, not handled."""
        return False

    async def on_arrival(self, event: Inbound) -> Inbound:
        """A platform's chance to act on an event at once, before the user's earlier
        turns are done (Telegram stops a pressed button's spinner)."""
        return event

    async def on_staff_echo(self, echo: StaffEcho) -> None:
        """Record that staff wrote from the platform's own inbox: when and to whom, not what."""
        conversation = self.conversation_id(echo.user)
        await asyncio.to_thread(self.store.record_echo, self.platform, user_key(conversation), echo.msg_id)
        logger.info("%s: staff wrote from the platform's inbox to user %s", self.platform, log_name(conversation))

    def rasa_text(self, event: Inbound) -> str:
        """The text Rasa is given: the connector's own intents and sealed button
        payloads as they are; anything else as words, within the platform's length."""
        if event.from_connector:
            return event.text
        payload = unseal(event.text)
        if payload is not None:
            return payload
        if self.max_inbound_text and text_length(event.text) > self.max_inbound_text:
            logger.warning("%s: a message longer than the platform allows was cut", self.platform)
            return as_typed(cut_to(event.text, self.max_inbound_text))
        return as_typed(event.text)

    # --- shared machinery ---

    def conversation_id(self, user: str) -> str:
        # Prefixed, so equal ids on two platforms are never one conversation.
        return f"{self.platform}:{user}"

    def get_output_channel(self) -> OutputChannel | None:
        return self.output() if self.enabled else None

    def add_routes(self, webhook: Blueprint) -> None:
        """A platform's own routes besides the webhook (Telegram's image proxy)."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"{self.platform}_webhook", type(self).__module__)
        self.add_routes(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "disabled"}, status=200 if self.enabled else 404)

        @webhook.route("/webhook", methods=["GET"])
        async def handshake(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("", status=404)
            return await self.handshake(request)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request)

        @webhook.listener("after_server_start")
        async def start_worker(app, _loop) -> None:
            if self.enabled:
                self.start_worker(on_new_message, getattr(app.ctx, "agent", None))

        @webhook.listener("before_server_stop")
        async def stop_worker(_app, _loop) -> None:
            # SIGTERM: take no new event, finish the turns in progress.
            if self.worker is not None:
                await self.worker.stop()

        return webhook

    def start_worker(self, on_new_message: OnNewMessage, agent: Any = None) -> InboxWorker:
        self._on_new_message, self._agent = on_new_message, agent
        self.worker = InboxWorker(self.store, self.platform, self.run_turn)
        self.worker.start()
        return self.worker

    async def receive(self, request: Request) -> HTTPResponse:
        if not self.enabled:
            return response.text("", status=404)
        body = request.body or b""
        if len(body) > MAX_WEBHOOK_BODY_BYTES:
            return response.text("", status=413)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return response.text("", status=400)  # RecursionError: nested deeper than Python parses
        if self.is_probe(payload):
            return response.text("ok")
        if not self.verify(request, body, payload):
            logger.warning("%s: refused a webhook whose signature does not match", self.platform)
            return response.text("", status=self.refusal_status)
        try:
            events = [event for event in self.events(payload) if event is not None]
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            logger.warning("%s: a signed webhook of an unexpected shape was ignored", self.platform)
            return response.text("", status=400)
        try:
            await self.accept(events)
        except Exception:
            # Not in the inbox: a 500 makes the platform send it again.
            logger.exception("%s: a webhook could not be queued", self.platform)
            return response.text("", status=500)
        # Only now: the events are in the database, a crash from here loses none.
        return response.text("ok")

    async def accept(self, events: list[Any]) -> None:
        queued = False
        for event in events:
            if isinstance(event, StaffEcho):
                await self.on_staff_echo(event)
            else:
                queued = await self.enqueue(await self.on_arrival(event)) or queued
        # Zalo echoes each message the OA sends: that webhook, like a redelivery,
        # queues nothing, and the inbox need not be read for it.
        if queued and self.worker is not None:
            self.worker.wake()

    async def enqueue(self, event: Inbound) -> bool:
        """Writes the event to the inbox; False for a redelivery (dropped)."""
        conversation = self.conversation_id(event.user)
        key = user_key(conversation)
        stored = json.dumps(
            {"user": event.user, "text": event.text, "metadata": event.metadata, "from_connector": event.from_connector}
        )
        # Also notes when the user last wrote (the platform's reply window), in the same commit.
        if not await asyncio.to_thread(self.store.enqueue, self.platform, event.delivery_id, key, stored):
            logger.info("%s: dropped a redelivery", self.platform)
            return False
        return True

    async def run_turn(self, claimed: Claimed) -> None:
        """One inbox event's turn (called by the worker, one at a time per user)."""
        stored = json.loads(claimed.event)
        event = Inbound(
            stored["user"], "", stored["text"], stored["metadata"] or {}, from_connector=stored["from_connector"]
        )
        conversation = self.conversation_id(event.user)
        if claimed.attempts > 1 and not claimed.rerun and self._agent is not None:
            tracker = await self._agent.tracker_store.retrieve(conversation)
            if turn_in_tracker(tracker, claimed.id):
                logger.info("%s: a turn saved before a crash was not run again", self.platform)
                return
        assert self._on_new_message is not None, "the worker runs turns only after start_worker"
        await self._on_new_message(
            UserMessage(
                self.rasa_text(event),
                self.output(claimed),
                conversation,
                input_channel=self.name(),
                metadata={**event.metadata, INBOX_KEY: claimed.id},
            )
        )


# --- what leaves ----------------------------------------------------------------------


@dataclass
class Button:
    title: str
    payload: str

    @property
    def phone(self) -> str | None:
        return self.payload[len(PHONE_PREFIX) :] if self.payload.startswith(PHONE_PREFIX) else None


@dataclass
class Reply:
    """One Rasa response, reduced to what a user can be shown."""

    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    image_url: str | None = None
    staff_reply: bool = False

    @classmethod
    def from_rasa(cls, message: dict[str, Any]) -> Reply:
        custom = message.get("custom") or {}
        # The custom part only says what kind of message this is: it is never shown.
        staff = isinstance(custom, dict) and custom.get(MESSAGE_KIND_KEY) == STAFF_REPLY_KIND
        buttons = [
            Button(str(b.get("title", "")).strip(), str(b.get("payload", "")).strip())
            for b in (message.get("buttons") or message.get("quick_replies") or [])
            if b.get("title") and b.get("payload")
        ]
        return cls(str(message.get("text") or "").strip(), buttons, message.get("image"), staff)

    @property
    def phone_buttons(self) -> list[Button]:
        return [b for b in self.buttons if b.phone]

    @property
    def answer_buttons(self) -> list[Button]:
        return [b for b in self.buttons if not b.phone]


def phone_lines(buttons: Iterable[Button]) -> str:
    """Phone buttons a platform cannot show, as lines of text: "📞 Gọi 111: 111"."""
    return "\n".join(f"{b.title}: {b.phone}" for b in buttons)


def with_phone_lines(text: str, buttons: list[Button]) -> str:
    return "\n\n".join(part for part in (text, phone_lines(buttons)) if part)


def kept_within(buttons: list[Button], limit: int, platform: str) -> list[Button]:
    if len(buttons) > limit:
        # content check keeps messages within the strictest limit; this is the last guard.
        logger.warning("%s shows at most %d buttons: %d dropped", platform, limit, len(buttons) - limit)
    return buttons[:limit]


class PlatformOutput(OutputChannel):
    """Sends Rasa's responses to one platform.

    A platform implements `requests(chat, reply)`: the calls that show one
    reply, in order, each an attempt for the sender (which retries it).
    """

    platform = ""
    # Whether `delivered_since` can read back what was sent (Zalo). Where it can, a
    # reply's "sent" mark waits for the turn's next record: a crash before it is
    # settled by a look-up. Where it cannot (Telegram, Messenger), the reply is
    # marked at once, so the window in which a crash sends it twice stays one commit.
    reads_back_sent = False

    def __init__(self, channel: WebhookInput, turn: Claimed | None = None) -> None:
        self.channel = channel
        self.turn = turn
        self._next_index = 0
        # What earlier runs of the turn recorded, read when first needed. On the
        # first run there can be nothing: replies are recorded only by runs of this event.
        self._records: dict[int, ReplyRecord] | None = {} if turn is None or turn.attempts == 1 else None

    @classmethod
    def name(cls) -> str:
        return cls.platform

    def chat_of(self, recipient_id: str) -> str:
        prefix = f"{self.platform}:"
        if not recipient_id.startswith(prefix):
            raise ValueError(f"not a {self.platform} conversation")
        return recipient_id[len(prefix) :]

    async def requests(self, chat: str, reply: Reply) -> list[Callable[[], Awaitable[object]]]:
        raise NotImplementedError

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        reply = Reply.from_rasa(message)
        if self.turn is None:
            await self.send_reply(recipient_id, reply)
            return
        # Rasa hands a turn's replies over one after another, in the same order
        # when the turn is run again: the index names a reply across runs.
        index, self._next_index = self._next_index, self._next_index + 1
        turn = self.turn
        if await self.sent_before(turn, index, recipient_id, reply):
            return
        # Recorded before the send: a crash after the platform's acceptance leaves
        # a reply of unknown fate, not one that seems never sent. On Zalo
        # (`reads_back_sent`) a reply is marked sent only by the turn's next
        # record, this one (with the next reply's attempt) or the worker's
        # (`release`), and the last reply never: `done` deletes its record. One
        # commit a reply instead of two; a crash leaves at most one reply unmarked,
        # until Rasa's next reply or the end of the turn, and a look-up settles it.
        # Telegram and Messenger cannot look up, so their replies are marked at
        # once and a crash sends one again only in that one commit's window. A
        # crash once Rasa saved the turn sends nothing again (`run_turn`).
        await asyncio.to_thread(
            self.channel.store.reply_attempted, turn.id, index, user_key(recipient_id), tuple(turn.accepted)
        )
        turn.accepted.clear()
        await self.send_reply(recipient_id, reply)
        if self.reads_back_sent:
            turn.accepted.append(index)
        else:
            await asyncio.to_thread(self.channel.store.mark_sent, turn.id, (index,))

    async def sent_before(self, turn: Claimed, index: int, recipient_id: str, reply: Reply) -> bool:
        """Whether an earlier run of this turn (before a crash) already sent this reply."""
        if self._records is None:
            self._records = await asyncio.to_thread(self.channel.store.reply_records, turn.id)
        record = self._records.get(index)
        if record is None:
            return False
        if record.sent:
            logger.info("%s: a reply sent before a crash was not sent again", self.platform)
            return True
        # Attempted, never marked sent: the platform may have taken it just before the crash.
        if await self.delivered_since(self.chat_of(recipient_id), reply, record.attempted_at):
            logger.info("%s: a reply the platform took just before a crash was not sent again", self.platform)
            turn.accepted.append(index)  # marked with the turn's next record, like a reply sent now
            return True
        return False

    async def delivered_since(self, chat: str, reply: Reply, since: datetime) -> bool:
        """Whether the platform shows this reply sent to `chat` after `since`. A platform
        that cannot tell (Telegram, Messenger: no way to read what the bot sent) says
        no, and the reply is sent again: a duplicate is better than a lost hotline number."""
        return False

    async def send_reply(self, recipient_id: str, reply: Reply) -> None:
        chat = self.chat_of(recipient_id)
        attempts = await self.requests(chat, reply)
        refusals = await self.channel.sender.send_in_order(chat, attempts)
        if refusals:
            # Staff must not believe a reply reached someone in danger when it did not:
            # the console shows these beside the case.
            await asyncio.to_thread(
                self.channel.store.record_undelivered,
                self.platform,
                user_key(recipient_id),
                reply.staff_reply,
                str(refusals[0]),
            )

    # Rasa's other entry points, for callers that use them directly.

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, **kwargs})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons, **kwargs})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_reply(recipient_id, Reply(image_url=image))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Custom parts are instructions to connectors, never shown to a user."""
