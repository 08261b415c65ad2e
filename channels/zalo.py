"""Zalo Official Account (Open API v3): webhook in, customer-service messages out.

There is no maintained Python SDK for the OA API, so this calls it with httpx.
Settings (environment): ZALO_APP_ID, ZALO_OA_SECRET, ZALO_APP_SECRET,
ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN, ZALO_API_BASE, ZALO_OAUTH_BASE,
ZALO_TOKEN_FILE, ZALO_SITE_VERIFICATION (the domain-verification code),
ZALO_PHONE_BUTTONS (vn|off), and for the unverified signature details
ZALO_SIGNATURE_KEY (oa_secret|app_secret) and ZALO_SIGNATURE_ID (app_id|oa_id,
with ZALO_OA_ID).
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.core import (
    PLATFORM_FOLLOW,
    UNSUPPORTED_MESSAGE,
    Button,
    Inbound,
    PlatformOutput,
    Reply,
    StaffEcho,
    WebhookInput,
    connector_event,
    image_message,
    kept_within,
    same_secret,
    seal,
    sha256_hex,
    with_phone_lines,
)
from channels.inbox import Claimed
from channels.sending import TryAgain, Undeliverable, check_http_status, describe
from channels.text import split_text
from contract.limits import MAX_UNDOCUMENTED_INBOUND_TEXT, ZaloLimit, cut_to

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
SIGNATURE_HEADER = "X-ZEvent-Signature"
TOKEN_ERRORS = {-216, -220}  # invalid, expired: refresh once, retry once
RATE_LIMITED = -32
# The conversation API's `src` of a message the OA sent (1: the user's); see ZaloInput.recent_oa_messages.
OA_SOURCE = "0"
# What staff read on the case page when Zalo refuses a reply (Zalo answers in its own words too).
REFUSALS = {
    -230: "the user has not written for 7 days: Zalo accepts no reply",
    -320: "more than 48 hours since the user wrote: the reply needs a Zalo Cloud Account (paid)",
    -321: "more than 48 hours since the user wrote: the Zalo Cloud Account cannot pay for the reply",
}
# The only phone_code form seen in examples: digits, no "+", a Vietnamese number
# ("84123456789", "0901888484": the examples gathered in issue 14; Zalo's .NET SDK,
# ZaloDotNetSDK entities/oa/OpenPhoneButton.cs, takes any string). Short codes
# (111, 113) and foreign numbers are not known to work, and a refused phone_code
# fails the whole message, hotline text included: those numbers are in the text only.
KNOWN_GOOD_PHONE = re.compile(r"^\+84(\d{9,10})$")
# The file Zalo asks for to verify the domain (developers.zalo.me, Domain verification):
# community projects serve it at the domain root (tuongduycuc/zalo-bot-206 index.js).
VERIFICATION_FILE = "zalo_verifier{code}.html"
VERIFICATION_META = '<meta name="zalo-platform-site-verification" content="{code}" />'


@dataclass(frozen=True)
class ZaloSettings:
    app_id: str
    oa_secret: str
    app_secret: str
    access_token: str
    refresh_token: str
    api_base: str = "https://openapi.zalo.me"
    oauth_base: str = "https://oauth.zaloapp.com"
    token_file: Path = ROOT / "var" / "zalo_tokens.json"
    signature_key: str = "oa_secret"
    signature_id: str = "app_id"
    oa_id: str = ""
    site_verification: str = ""
    phone_buttons: str = "vn"

    @classmethod
    def from_env(cls) -> ZaloSettings:
        env = os.environ.get
        return cls(
            app_id=env("ZALO_APP_ID", ""),
            oa_secret=env("ZALO_OA_SECRET", ""),
            app_secret=env("ZALO_APP_SECRET", ""),
            access_token=env("ZALO_ACCESS_TOKEN", ""),
            refresh_token=env("ZALO_REFRESH_TOKEN", ""),
            api_base=env("ZALO_API_BASE", "https://openapi.zalo.me").rstrip("/"),
            oauth_base=env("ZALO_OAUTH_BASE", "https://oauth.zaloapp.com").rstrip("/"),
            token_file=Path(env("ZALO_TOKEN_FILE", str(ROOT / "var" / "zalo_tokens.json"))),
            signature_key=env("ZALO_SIGNATURE_KEY", "oa_secret"),
            signature_id=env("ZALO_SIGNATURE_ID", "app_id"),
            oa_id=env("ZALO_OA_ID", ""),
            site_verification=env("ZALO_SITE_VERIFICATION", "").strip(),
            phone_buttons=env("ZALO_PHONE_BUTTONS", "vn").strip().lower(),
        )

    @property
    def signing_secret(self) -> str:
        return self.app_secret if self.signature_key == "app_secret" else self.oa_secret

    @property
    def signing_id(self) -> str:
        return self.oa_id if self.signature_id == "oa_id" else self.app_id

    @property
    def complete(self) -> bool:
        has_token = bool(self.access_token) or self.token_file.exists()
        return bool(self.signing_id and self.signing_secret and has_token)


class ZaloTokens:
    """The access/refresh token pair. The refresh token is single-use, so a new
    pair is on disk before the new access token is ever used, and every Rasa
    instance using the same file refreshes under one lock."""

    def __init__(self, path: Path, access_token: str, refresh_token: str) -> None:
        self.path = path
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.reload()

    def reload(self) -> None:
        if self.path.exists():  # a pair refreshed earlier, here or by another instance, is the newer one
            stored = json.loads(self.path.read_text())
            self.access_token = stored["access_token"]
            self.refresh_token = stored["refresh_token"]

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[ZaloTokens]:
        """The pair as on disk, locked against the other processes using the file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
            try:
                self.reload()
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def save(self, access_token: str, refresh_token: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump({"access_token": access_token, "refresh_token": refresh_token}, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)
        self.access_token, self.refresh_token = access_token, refresh_token


class ZaloInput(WebhookInput):
    platform = "zalo"
    refusal_status = 401
    max_inbound_text = MAX_UNDOCUMENTED_INBOUND_TEXT

    def __init__(self, settings: ZaloSettings, store_url: str | None = None) -> None:
        super().__init__(settings.complete, store_url)
        self.settings = settings
        self.tokens = (
            ZaloTokens(settings.token_file, settings.access_token, settings.refresh_token)
            if settings.complete
            else None
        )
        self._refreshing = asyncio.Lock()

    @property
    def live_tokens(self) -> ZaloTokens:
        """The OA's tokens: only an enabled channel (complete settings) sends, and it has them."""
        if self.tokens is None:
            raise RuntimeError("the Zalo channel is disabled: it has no tokens")
        return self.tokens

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ZaloInput:
        # Read from the environment, not credentials.yml: Rasa refuses a file naming an unset ${VAR}.
        return cls(ZaloSettings.from_env())

    def is_probe(self, payload: Any) -> bool:
        # Saving the webhook URL, Zalo posts an unsigned `{}` and keeps the URL only
        # if it is answered 200 (reported by integrators; docs/channels.md).
        return payload == {}

    def verify(self, request: Request, body: bytes, payload: Any) -> bool:
        given = (request.headers.get(SIGNATURE_HEADER) or "").strip()
        timestamp = str(payload.get("timestamp", "")) if isinstance(payload, dict) else ""
        expected = sha256_hex(
            self.settings.signing_id.encode(), body, timestamp.encode(), self.settings.signing_secret.encode()
        )
        if not same_secret(given.removeprefix("mac="), expected):
            return False
        if not fresh(timestamp, time.time()):
            logger.warning("zalo: refused a signed webhook whose timestamp is not recent (a replay?)")
            return False
        return True

    def add_routes(self, webhook: Blueprint) -> None:
        @webhook.route("/site-verification/<name>", methods=["GET"])
        async def site_verification(_request: Request, name: str) -> HTTPResponse:
            return self.site_verification(name)

    def site_verification(self, name: str) -> HTTPResponse:
        """The domain-verification file: the proxy maps /zalo_verifier<code>.html here (docs/channels.md)."""
        code = self.settings.site_verification
        if not code or name != VERIFICATION_FILE.format(code=code):
            return response.text("", status=404)
        meta = VERIFICATION_META.format(code=code)
        return response.html(f"<!DOCTYPE html><html><head>{meta}</head><body></body></html>")

    def events(self, payload: dict[str, Any]) -> Iterable[Any]:
        # One event per webhook; a list is accepted too, should Zalo ever batch.
        for event in payload if isinstance(payload, list) else [payload]:
            yield self.event(event)

    def event(self, event: dict[str, Any]) -> Any:
        name = event.get("event_name", "")
        message = event.get("message") or {}
        if name == "follow":
            user = event["follower"]["id"]
            return connector_event(user, f"follow:{user}:{event.get('timestamp')}", PLATFORM_FOLLOW)
        if name.startswith("oa_send_"):
            # Every message the OA sends comes back: ours (sent through the API)
            # too, and possibly before our send has its answer. Only a person in
            # the OA admin is named by `sender.admin_id` (as a community CRM
            # webhook reads it, EC_Zalo; Chatwoot tells its own sends by the ids
            # it recorded, app/services/zalo_oa/incoming_message_service.rb).
            if not (event.get("sender") or {}).get("admin_id"):
                return None
            return StaffEcho(event["recipient"]["id"], str(message.get("msg_id", "")))
        if not name.startswith("user_send_"):
            return None  # seen, received, unfollow, submitted info: nothing to answer
        user, delivery = event["sender"]["id"], str(message["msg_id"])
        if name in ("user_send_text", "user_send_link") and message.get("text"):
            # A query button's payload arrives this way too, as if the user typed it:
            # its seal tells it apart (WebhookInput.rasa_text).
            return Inbound(user, delivery, message["text"])
        if name == "user_send_image":
            urls = [a.get("payload", {}).get("url") for a in message.get("attachments") or []]
            if urls and urls[0]:
                return image_message(user, delivery, urls[0])
        return connector_event(user, delivery, UNSUPPORTED_MESSAGE)

    def output(self, turn: Claimed | None = None) -> ZaloOutput:
        return ZaloOutput(self, turn)

    async def refresh_tokens(self, failed_access_token: str) -> None:
        async with self._refreshing, self.live_tokens.locked() as tokens:
            if tokens.access_token != failed_access_token:
                return  # another send, or another instance, refreshed while this one waited
            response = await self.client.post(
                f"{self.settings.oauth_base}/v4/oa/access_token",
                headers={"secret_key": self.settings.app_secret},
                data={
                    "refresh_token": tokens.refresh_token,
                    "app_id": self.settings.app_id,
                    "grant_type": "refresh_token",
                },
            )
            check_http_status(response)
            answer = response.json()
            if not answer.get("access_token") or not answer.get("refresh_token"):
                raise Undeliverable(f"Zalo token refresh refused: error {answer.get('error')}")
            await asyncio.to_thread(tokens.save, answer["access_token"], answer["refresh_token"])
            logger.info("zalo: access token refreshed")

    async def recent_oa_messages(self, user: str) -> list[OaMessage]:
        """The OA's latest messages to `user` (one page of the conversation API).

        GET /v2.0/oa/conversation?data={"user_id", "offset", "count"} with the
        `access_token` header; the answer's `data` lists messages newest first,
        each with `src` (0: sent by the OA, 1: by the user), `time` (ms),
        `type` and, for text, `message`. Not in Zalo's public docs we could
        read; as integrators call it: a Node.js CRM's `conversationService.getMessages`
        ("count ... tối đa 10", "src: 1 = from user, 0 = from OA", offset 0 the newest),
        a zca-bridge `historyClient.ts` port (counterpart `src == 1 ? from_id : to_id`),
        and a Ruby client paging it 10 at a time (docs/channels.md, "Unverified on Zalo").
        """
        response = await self.client.get(
            f"{self.settings.api_base}/v2.0/oa/conversation",
            headers={"access_token": self.live_tokens.access_token},
            params={"data": json.dumps({"user_id": user, "offset": 0, "count": ZaloLimit.MAX_CONVERSATION_COUNT})},
        )
        check_http_status(response)
        answer = response.json()
        if answer.get("error"):
            raise Undeliverable(f"Zalo error {answer.get('error')} reading the conversation")
        return [
            OaMessage(str(item.get("message") or ""), int(item.get("time") or 0) / 1000)
            for item in answer.get("data") or []
            if isinstance(item, dict) and str(item.get("src")) == OA_SOURCE
        ]


@dataclass(frozen=True)
class OaMessage:
    """A message the conversation API shows the OA sent: its text, and when (seconds since the epoch)."""

    text: str
    at: float


class ZaloOutput(PlatformOutput):
    platform = "zalo"
    reads_back_sent = True  # the OA's conversation shows what it sent (`delivered_since`)
    channel: ZaloInput

    async def requests(self, chat: str, reply: Reply) -> list[Any]:
        return [self._send(chat, message) for message in self.messages(reply)]

    async def delivered_since(self, chat: str, reply: Reply, since: datetime) -> bool:
        """Every text message of the reply is among the OA's recent messages to `chat`, sent after `since`."""
        texts = [message["text"] for message in self.messages(reply) if message.get("text")]
        if not texts:
            return False  # an image alone cannot be recognised: sent again
        try:
            recent = await self.channel.recent_oa_messages(chat)
        except Exception as problem:
            logger.warning("zalo: the conversation could not be read (%s); the reply is sent again", describe(problem))
            return False
        after = since.timestamp()
        seen = {message.text for message in recent if message.at > after}
        return all(text in seen for text in texts)

    def messages(self, reply: Reply) -> list[dict[str, Any]]:
        """The Zalo messages that show one reply, in order."""
        # Every number is in the text, whether or not it also gets a call button.
        text = with_phone_lines(reply.text, reply.phone_buttons)
        messages: list[dict[str, Any]] = [{"text": part} for part in split_text(text, ZaloLimit.MAX_TEXT_LENGTH)]
        phones = [b for b in reply.phone_buttons if self.callable(b.phone)]
        answers = [b for b in reply.answer_buttons if fits_a_query_button(b.payload)]
        buttons = kept_within(phones + answers, ZaloLimit.MAX_BUTTONS, self.platform)
        if buttons and messages:
            messages[-1]["attachment"] = {"type": "template", "payload": {"buttons": [zalo_button(b) for b in buttons]}}
        if reply.image_url:
            messages.append(
                {
                    "attachment": {
                        "type": "template",
                        "payload": {
                            "template_type": "media",
                            "elements": [{"media_type": "image", "url": reply.image_url}],
                        },
                    }
                }
            )
        return messages

    def callable(self, phone: str | None) -> bool:
        return (
            self.channel.settings.phone_buttons != "off"
            and phone is not None
            and KNOWN_GOOD_PHONE.match(phone) is not None
        )

    def _send(self, chat: str, message: dict[str, Any]):
        async def attempt() -> str:
            answer = await self._post(chat, message)
            if answer.get("error") in TOKEN_ERRORS:
                await self.channel.refresh_tokens(answer["_token"])
                answer = await self._post(chat, message)
            return await self._accepted(answer)

        return attempt

    async def _post(self, chat: str, message: dict[str, Any]) -> dict[str, Any]:
        token = self.channel.live_tokens.access_token
        response = await self.channel.client.post(
            f"{self.channel.settings.api_base}/v3.0/oa/message/cs",
            headers={"access_token": token},
            json={"recipient": {"user_id": chat}, "message": message},
        )
        check_http_status(response)
        return {**response.json(), "_token": token}

    async def _accepted(self, answer: dict[str, Any]) -> str:
        # Zalo answers HTTP 200 whatever happened: the verdict is in `error`.
        error = answer.get("error", 0)
        if error == RATE_LIMITED:
            raise TryAgain("rate limited")
        if error:
            raise Undeliverable(f"Zalo error {error}: {REFUSALS.get(error, 'refused')}")
        return str((answer.get("data") or {}).get("message_id", ""))


def fresh(timestamp: str, now: float) -> bool:
    """A webhook's signed timestamp (milliseconds) is recent enough to be Zalo's, not a replay."""
    try:
        sent = int(timestamp) / 1000
    except ValueError:
        return False
    return -ZaloLimit.MAX_WEBHOOK_CLOCK_SKEW_SECONDS <= now - sent <= ZaloLimit.MAX_WEBHOOK_AGE_SECONDS


def fits_a_query_button(payload: str) -> bool:
    if len(seal(payload)) <= ZaloLimit.MAX_QUERY_PAYLOAD:
        return True
    logger.warning("zalo: a button payload too long for Zalo was left out")
    return False


def zalo_button(button: Button) -> dict[str, Any]:
    title = cut_to(button.title, ZaloLimit.MAX_BUTTON_TITLE)
    if button.phone:
        good = KNOWN_GOOD_PHONE.match(button.phone)
        assert good is not None, "only callable numbers get a call button (ZaloOutput.callable)"
        digits = good.group(0)[1:]  # "+84…" → "84…"
        return {"title": title, "type": "oa.open.phone", "payload": {"phone_code": digits}}
    return {"title": title, "type": "oa.query.hide", "payload": seal(button.payload)}
