"""Facebook Messenger (Graph API Send API): page webhooks in, messages out.

Settings (environment): MESSENGER_APP_SECRET (signs webhooks),
MESSENGER_VERIFY_TOKEN (the subscription handshake), MESSENGER_PAGE_TOKEN
(sends), MESSENGER_API_BASE, MESSENGER_HUMAN_AGENT_TAG (on once App Review has
granted the Human Agent permission; off by default).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.core import (
    UNSUPPORTED_MESSAGE,
    Button,
    Inbound,
    PlatformOutput,
    Reply,
    WebhookInput,
    connector_event,
    hmac_sha256_hex,
    image_message,
    kept_within,
    same_secret,
    seal,
    user_key,
    with_phone_lines,
)
from channels.inbox import Claimed
from channels.sending import TryAgain, Undeliverable, check_http_status
from channels.text import split_text
from contract.limits import MAX_UNDOCUMENTED_INBOUND_TEXT, MessengerLimit, cut_to

logger = logging.getLogger(__name__)

GRAPH_API_BASE = "https://graph.facebook.com/v23.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta's call button dials only "+<country code><number>"; a Vietnamese short
# code such as 111 would make Graph refuse the whole message, text included.
CALLABLE_NUMBER = re.compile(r"^\+\d{6,15}$")
# Graph error codes that mean "later", whatever the HTTP status they come with
# (https://developers.facebook.com/docs/messenger-platform/error-codes): unknown
# (1), unexpected (2: "retry later", though it "might" also mean the user blocked
# the page, so it is given up after the retries like any other), the rate limits
# (4, 17, 32, 613) and "temporary send message failure" (1200).
RETRYABLE_ERRORS = {1, 2, 4, 17, 32, 613, 1200}
# What staff read on the case page for the refusals that are the user's or Meta's rule, not a fault.
REFUSALS = {
    10: "outside Messenger's 24-hour window (and no HUMAN_AGENT tag allowed)",
    551: "the user cannot be reached now (they may have blocked the page)",
}


@dataclass(frozen=True)
class MessengerSettings:
    app_secret: str
    verify_token: str
    page_token: str
    api_base: str = GRAPH_API_BASE
    # Meta allows the HUMAN_AGENT tag only once App Review grants the permission;
    # before that Graph refuses every tagged message. So off unless the operator
    # says so, and even then only on a person's reply outside the 24-hour window
    # (https://developers.facebook.com/docs/features-reference/human-agent/;
    # chatwoot/chatwoot app/services/facebook/human_agent_tag_helpers.rb).
    human_agent_tag: bool = False

    @classmethod
    def from_env(cls) -> MessengerSettings:
        return cls(
            app_secret=os.environ.get("MESSENGER_APP_SECRET", ""),
            verify_token=os.environ.get("MESSENGER_VERIFY_TOKEN", ""),
            page_token=os.environ.get("MESSENGER_PAGE_TOKEN", ""),
            api_base=os.environ.get("MESSENGER_API_BASE", GRAPH_API_BASE).rstrip("/"),
            human_agent_tag=os.environ.get("MESSENGER_HUMAN_AGENT_TAG", "off").strip().lower()
            in ("on", "true", "1", "yes"),
        )

    @property
    def complete(self) -> bool:
        return bool(self.app_secret and self.verify_token and self.page_token)


class MessengerInput(WebhookInput):
    platform = "messenger"
    refusal_status = 403
    max_inbound_text = MAX_UNDOCUMENTED_INBOUND_TEXT

    def __init__(self, settings: MessengerSettings, store_url: str | None = None) -> None:
        super().__init__(settings.complete, store_url)
        self.settings = settings

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerInput:
        # Read from the environment, not credentials.yml: Rasa refuses a file naming an unset ${VAR}.
        return cls(MessengerSettings.from_env())

    async def handshake(self, request: Request) -> HTTPResponse:
        """Meta's subscription check: echo the challenge when the verify token matches."""
        if request.args.get("hub.mode") == "subscribe" and same_secret(
            request.args.get("hub.verify_token"), self.settings.verify_token
        ):
            return response.text(request.args.get("hub.challenge", ""))
        return response.text("", status=403)

    def verify(self, request: Request, body: bytes, payload: Any) -> bool:
        expected = "sha256=" + hmac_sha256_hex(self.settings.app_secret, body)
        return same_secret(request.headers.get(SIGNATURE_HEADER), expected)

    def events(self, payload: dict[str, Any]) -> Iterable[Any]:
        if payload.get("object") != "page":
            return
        for entry in payload.get("entry") or []:
            # `standby` entries (another app holds the thread) carry no `messaging`.
            for event in entry.get("messaging") or []:
                yield self.event(event)

    def event(self, event: dict[str, Any]) -> Inbound | None:
        user = event["sender"]["id"]
        if "postback" in event:
            postback = event["postback"]
            delivery = postback.get("mid") or f"postback:{user}:{event.get('timestamp')}"
            return Inbound(user, delivery, postback.get("payload") or postback.get("title", ""))
        message = event.get("message")
        if not message or message.get("is_echo"):
            return None  # delivery and read receipts; our own messages coming back
        delivery = message["mid"]
        if message.get("quick_reply"):
            return Inbound(user, delivery, message["quick_reply"]["payload"])
        if message.get("text"):
            return Inbound(user, delivery, message["text"])
        attachments = message.get("attachments") or []
        first = attachments[0] if attachments else {}
        payload = first.get("payload") or {}
        # A sticker arrives as an image with a sticker_id: not a screenshot to read.
        if first.get("type") == "image" and payload.get("url") and "sticker_id" not in payload:
            return image_message(user, delivery, payload["url"])
        return connector_event(user, delivery, UNSUPPORTED_MESSAGE)

    def output(self, turn: Claimed | None = None) -> MessengerOutput:
        return MessengerOutput(self, turn)


class MessengerOutput(PlatformOutput):
    platform = "messenger"
    channel: MessengerInput

    async def requests(self, chat: str, reply: Reply) -> list[Any]:
        callable_ = [b for b in reply.phone_buttons if b.phone and CALLABLE_NUMBER.match(b.phone)]
        phones = callable_[: MessengerLimit.MAX_TEMPLATE_BUTTONS]
        # Short codes, and phone buttons beyond what one template holds, become lines of text.
        text = with_phone_lines(reply.text, [b for b in reply.phone_buttons if b not in phones])
        messages: list[dict[str, Any]] = [{"text": part} for part in split_text(text, MessengerLimit.MAX_TEXT_LENGTH)]
        if phones and messages:
            messages[-1:] = self.button_template(messages[-1]["text"], phones)
        answers = kept_within(
            [b for b in reply.answer_buttons if len(seal(b.payload)) <= MessengerLimit.MAX_PAYLOAD_LENGTH],
            MessengerLimit.MAX_QUICK_REPLIES,
            self.platform,
        )
        if answers and messages:
            messages[-1]["quick_replies"] = [quick_reply(b) for b in answers]
        if reply.image_url:
            messages.append({"attachment": {"type": "image", "payload": {"url": reply.image_url, "is_reusable": True}}})
        kind = await self.messaging_kind(chat, reply.staff_reply)
        return [self._send(chat, message, kind) for message in messages]

    async def messaging_kind(self, chat: str, staff_reply: bool) -> dict[str, str]:
        """RESPONSE within 24 hours of the user's last message; a person's reply after
        that carries the HUMAN_AGENT tag, if the app may use it, up to 7 days."""
        if not (staff_reply and self.channel.settings.human_agent_tag):
            return {"messaging_type": "RESPONSE"}
        wrote = await asyncio.to_thread(
            self.channel.store.last_user_message,
            self.platform,
            user_key(f"{self.platform}:{chat}"),
        )
        since = datetime.now(timezone.utc) - wrote if wrote else None
        if since is not None and since <= timedelta(hours=MessengerLimit.STANDARD_WINDOW_HOURS):
            return {"messaging_type": "RESPONSE"}
        return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}

    @staticmethod
    def button_template(text: str, phones: list[Button]) -> list[dict[str, Any]]:
        """The last part of the text with call buttons; a template holds less text than a message."""
        parts = split_text(text, MessengerLimit.MAX_TEMPLATE_TEXT_LENGTH)
        template = {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": parts[-1],
                    "buttons": [
                        {
                            "type": "phone_number",
                            "title": cut_to(b.title, MessengerLimit.MAX_BUTTON_TITLE),
                            "payload": b.phone,
                        }
                        for b in phones
                    ],
                },
            }
        }
        return [{"text": part} for part in parts[:-1]] + [template]

    def _send(self, chat: str, message: dict[str, Any], kind: dict[str, str]):
        body: dict[str, Any] = {"recipient": {"id": chat}, "message": message, **kind}

        async def attempt() -> str | None:
            answer = await self.channel.client.post(
                f"{self.channel.settings.api_base}/me/messages",
                params={"access_token": self.channel.settings.page_token},
                json=body,
            )
            code = graph_error_code(answer)
            if code in RETRYABLE_ERRORS:
                raise TryAgain(f"Graph error {code}")
            if code in REFUSALS:
                raise Undeliverable(f"Graph error {code}: {REFUSALS[code]}")
            check_http_status(answer)
            return answer.json().get("message_id")

        return attempt


def graph_error_code(answer: httpx.Response) -> int | None:
    try:
        return (answer.json().get("error") or {}).get("code")
    except ValueError:
        return None


def quick_reply(button: Button) -> dict[str, Any]:
    return {
        "content_type": "text",
        # Meta counts characters as JavaScript does, in UTF-16 units: an emoji is two.
        "title": cut_to(button.title, MessengerLimit.MAX_QUICK_REPLY_TITLE),
        "payload": seal(button.payload),
    }
