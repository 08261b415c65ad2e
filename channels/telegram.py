"""Telegram (python-telegram-bot 22, webhook mode): updates in, Bot API calls out.

Settings (environment): TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET (Telegram
sends it back in X-Telegram-Bot-Api-Secret-Token; `python -m bot telegram
set-webhook URL` registers it), TELEGRAM_API_BASE, and RASA_URL (where the
action server reaches this process for photos, see `photo_link`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from channels.core import (
    PLATFORM_FOLLOW,
    UNSUPPORTED_MESSAGE,
    Button,
    Inbound,
    PlatformOutput,
    Reply,
    WebhookInput,
    connector_event,
    hmac_sha256_hex,
    image_message,
    same_secret,
    seal,
    sealed_length,
    with_phone_lines,
)
from channels.inbox import Claimed
from channels.sending import TryAgain, Undeliverable
from channels.text import split_text
from contract.limits import TelegramLimit
from contract.media import MAX_IMAGE_BYTES

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SHORT_KEY_PREFIX = "k:"
# What Telegram's apps send when someone opens the bot, also from a link (t.me/<bot>?start=…).
START_COMMAND = "/start"
# httpx errors raised before a request left this machine: sending it again cannot
# make a second copy. After a read or write timeout the message may have arrived.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
PHOTO_LINK_SECONDS = 3600


@dataclass(frozen=True)
class TelegramSettings:
    bot_token: str
    webhook_secret: str
    api_base: str = "https://api.telegram.org"
    # Where the action server reaches Rasa (the bot service uses the same URL).
    rasa_url: str = "http://127.0.0.1:5005"
    # Seconds to wait for Telegram's answer to a call; past it, a sent message may have
    # arrived (`may_have_arrived`). python-telegram-bot's default; tests wait less.
    read_timeout: float = 5.0

    @classmethod
    def from_env(cls) -> TelegramSettings:
        return cls(
            bot_token=os.environ.get("TELEGRAM_BOT_TOKEN", ""),
            webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET", ""),
            api_base=os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/"),
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        )

    @property
    def complete(self) -> bool:
        # No secret, no channel: without it anyone could post updates as any user.
        return bool(self.bot_token and self.webhook_secret)


class TelegramInput(WebhookInput):
    platform = "telegram"
    refusal_status = 401
    max_inbound_text = TelegramLimit.MAX_TEXT_LENGTH

    def __init__(self, settings: TelegramSettings, store_url: str | None = None) -> None:
        super().__init__(settings.complete, store_url)
        self.settings = settings
        self.bot = Bot(
            settings.bot_token or "disabled",
            base_url=f"{settings.api_base}/bot",
            base_file_url=f"{settings.api_base}/file/bot",
            request=HTTPXRequest(read_timeout=settings.read_timeout),
        )
        self._starting = asyncio.Lock()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        # Read from the environment, not credentials.yml: Rasa refuses a file naming an unset ${VAR}.
        return cls(TelegramSettings.from_env())

    async def ready_bot(self) -> Bot:
        async with self._starting:
            await self.bot.initialize()  # once; later calls return at once
        return self.bot

    def verify(self, request: Request, body: bytes, payload: Any) -> bool:
        return same_secret(request.headers.get(SECRET_HEADER), self.settings.webhook_secret)

    def events(self, payload: dict[str, Any]) -> Iterable[Any]:
        update = Update.de_json(payload, self.bot)
        delivery = f"update:{update.update_id}"
        query = update.callback_query
        if query and query.message:
            if query.message.chat.type == "private":
                yield Inbound(str(query.message.chat.id), delivery, query.data or "", platform_ref=query.id)
        elif update.message and update.message.chat.type == "private":
            # Private chats only: the bot may also sit in the staff group for announcements.
            yield self.message(update.message, delivery)

    def message(self, message: Any, delivery: str) -> Inbound:
        chat = str(message.chat.id)
        if message.text and (message.text == START_COMMAND or message.text.startswith(START_COMMAND + " ")):
            return connector_event(chat, delivery, PLATFORM_FOLLOW)  # someone opened the bot: greet them
        if message.text:
            return Inbound(chat, delivery, message.text)
        photo = message.photo[-1] if message.photo else None  # the largest size
        document = (
            message.document if message.document and (message.document.mime_type or "").startswith("image/") else None
        )
        file = photo or document
        if file:
            return image_message(chat, delivery, self.photo_link(file.file_id))
        return connector_event(chat, delivery, UNSUPPORTED_MESSAGE)

    async def on_arrival(self, event: Inbound) -> Inbound:
        # Called before the user's earlier turns are done: the button's spinner
        # stops now, not after them, when Telegram may find the query too old.
        if event.platform_ref:
            try:
                await (await self.ready_bot()).answer_callback_query(event.platform_ref)
            except TelegramError as error:
                logger.warning("telegram: could not answer a button press: %s", type(error).__name__)
            if event.text.startswith(SHORT_KEY_PREFIX):
                payload = await asyncio.to_thread(self.store.payload_for, event.text[len(SHORT_KEY_PREFIX) :])
                event.text = payload or event.text
        return event

    # --- photos ---
    # A Telegram file URL holds the bot token. Rasa keeps a message's metadata in
    # the tracker, so instead of that URL the message carries a link to this
    # process, signed and short-lived, which fetches the file when the action
    # server asks: the token never leaves this process.

    def photo_link(self, file_id: str) -> str:
        expires = str(int(time.time()) + PHOTO_LINK_SECONDS)
        signature = hmac_sha256_hex(self.settings.webhook_secret, f"{file_id}:{expires}".encode())
        return f"{self.settings.rasa_url}/webhooks/telegram/photo/{file_id}?expires={expires}&signature={signature}"

    def add_routes(self, webhook: Blueprint) -> None:
        @webhook.route("/photo/<file_id>", methods=["GET"])
        async def photo(request: Request, file_id: str) -> HTTPResponse:
            return await self.photo(request, file_id)

    async def photo(self, request: Request, file_id: str) -> HTTPResponse:
        expires = request.args.get("expires", "0")
        expected = hmac_sha256_hex(self.settings.webhook_secret, f"{file_id}:{expires}".encode())
        if (
            not self.enabled
            or not same_secret(request.args.get("signature"), expected)
            or not expires.isdigit()
            or int(expires) < time.time()
        ):
            return response.text("", status=404)
        try:
            file = await (await self.ready_bot()).get_file(file_id)
            if (file.file_size or 0) > MAX_IMAGE_BYTES:
                return response.text("", status=413)
            content = await file.download_as_bytearray()
        except TelegramError as error:
            logger.warning("telegram: could not fetch a photo: %s", type(error).__name__)
            return response.text("", status=502)
        return response.raw(bytes(content), content_type="application/octet-stream")

    def output(self, turn: Claimed | None = None) -> TelegramOutput:
        return TelegramOutput(self, turn)


class TelegramOutput(PlatformOutput):
    platform = "telegram"
    channel: TelegramInput

    async def requests(self, chat: str, reply: Reply) -> list[Any]:
        # Telegram has no call buttons: numbers go in the text, where they can be tapped.
        text = with_phone_lines(reply.text, reply.phone_buttons)
        parts = split_text(text, TelegramLimit.MAX_TEXT_LENGTH)
        keyboard = await self.keyboard(reply.answer_buttons)
        calls = [
            self._call("send_message", chat_id=chat, text=part, reply_markup=keyboard if last else None)
            for last, part in ((i == len(parts) - 1, part) for i, part in enumerate(parts))
        ]
        if reply.image_url:
            calls.append(self._call("send_photo", chat_id=chat, photo=reply.image_url))
        return calls

    async def keyboard(self, buttons: list[Button]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        rows = [[InlineKeyboardButton(b.title, callback_data=await self.callback_data(b.payload))] for b in buttons]
        return InlineKeyboardMarkup(rows)

    async def callback_data(self, payload: str) -> str:
        """The sealed payload, or a key to it when longer than Telegram's 64 bytes."""
        if sealed_length(payload) <= TelegramLimit.MAX_CALLBACK_DATA_BYTES:
            return seal(payload)
        key = await asyncio.to_thread(self.channel.store.short_key, seal(payload))
        return SHORT_KEY_PREFIX + key

    def _call(self, method: str, **arguments: Any):
        async def attempt() -> Any:
            bot = await self._ready_bot()
            try:
                return await getattr(bot, method)(**arguments)
            except RetryAfter as error:
                raise TryAgain("rate limited", after=_seconds(error.retry_after)) from error
            except InvalidToken as error:
                raise _refused_token() from error
            except (BadRequest, Forbidden) as error:
                raise Undeliverable(f"{type(error).__name__}: {error}") from error
            except (TimedOut, NetworkError) as error:
                if may_have_arrived(error):
                    raise Undeliverable(
                        f"{type(error).__name__} after sending: the message may not have arrived"
                    ) from error
                raise TryAgain(type(error).__name__) from error
            except TelegramError as error:
                raise Undeliverable(type(error).__name__) from error

        return attempt

    async def _ready_bot(self) -> Bot:
        """The bot, initialised: the first call of a process asks getMe (telegram/_bot.py
        `initialize`), and its failure is a failure to send, retried like one."""
        try:
            return await self.channel.ready_bot()
        except InvalidToken as error:
            raise _refused_token() from error
        except TelegramError as error:
            raise TryAgain(f"getMe: {type(error).__name__}") from error


def may_have_arrived(error: TelegramError) -> bool:
    """Whether the request reached Telegram before it failed, so that sending it again could show it twice.

    A server error (5xx) comes without an httpx cause, and Telegram did not take
    the message; an httpx error is raised from (telegram/request/_httpxrequest.py).
    Of those, only a failure to connect or to get a connection is sure not to
    have sent anything; a read timeout (TimedOut too) may follow a message taken.
    """
    cause = error.__cause__
    return isinstance(cause, httpx.HTTPError) and not isinstance(cause, NOT_SENT)


def _refused_token() -> Undeliverable:
    # Not the error's own message: it quotes the token (telegram/_bot.py `initialize`).
    return Undeliverable("InvalidToken: Telegram refused the bot token")


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
