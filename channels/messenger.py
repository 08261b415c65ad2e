"""Facebook Messenger (Graph API Send API): page webhooks in, messages out.

Settings (environment): MESSENGER_APP_SECRET (signs webhooks),
MESSENGER_VERIFY_TOKEN (the subscription handshake), MESSENGER_PAGE_TOKEN
(sends), MESSENGER_API_BASE.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

import httpx
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.core import (
    UNSUPPORTED_MESSAGE, Button, Inbound, PlatformOutput, Reply, WebhookInput, hmac_sha256_hex,
    image_message, kept_within, same_secret, with_phone_lines,
)
from channels.limits import MessengerLimit
from channels.sending import TryAgain, check_http_status
from channels.text import split_text

logger = logging.getLogger(__name__)

GRAPH_API_BASE = "https://graph.facebook.com/v23.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta's call button dials only "+<country code><number>"; a Vietnamese short
# code such as 111 would make Graph refuse the whole message, text included.
CALLABLE_NUMBER = re.compile(r"^\+\d{6,15}$")
# Graph error codes that mean "later": unknown, temporary, and the rate limits.
RETRYABLE_ERRORS = {1, 2, 4, 17, 32, 613}


@dataclass(frozen=True)
class MessengerSettings:
    app_secret: str
    verify_token: str
    page_token: str
    api_base: str = GRAPH_API_BASE

    @classmethod
    def from_env(cls) -> "MessengerSettings":
        return cls(
            app_secret=os.environ.get("MESSENGER_APP_SECRET", ""),
            verify_token=os.environ.get("MESSENGER_VERIFY_TOKEN", ""),
            page_token=os.environ.get("MESSENGER_PAGE_TOKEN", ""),
            api_base=os.environ.get("MESSENGER_API_BASE", GRAPH_API_BASE).rstrip("/"),
        )

    @property
    def complete(self) -> bool:
        return bool(self.app_secret and self.verify_token and self.page_token)


class MessengerInput(WebhookInput):
    platform = "messenger"
    refusal_status = 403

    def __init__(self, settings: MessengerSettings, store_url: Optional[str] = None) -> None:
        super().__init__(settings.complete, store_url)
        self.settings = settings

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "MessengerInput":
        # Read from the environment, not credentials.yml: Rasa refuses a file naming an unset ${VAR}.
        return cls(MessengerSettings.from_env())

    async def handshake(self, request: Request) -> HTTPResponse:
        """Meta's subscription check: echo the challenge when the verify token matches."""
        if request.args.get("hub.mode") == "subscribe" and same_secret(request.args.get("hub.verify_token"), self.settings.verify_token):
            return response.text(request.args.get("hub.challenge", ""))
        return response.text("", status=403)

    def verify(self, request: Request, body: bytes, payload: Any) -> bool:
        expected = "sha256=" + hmac_sha256_hex(self.settings.app_secret, body)
        return same_secret(request.headers.get(SIGNATURE_HEADER), expected)

    def events(self, payload: Dict[str, Any]) -> Iterable[Any]:
        if payload.get("object") != "page":
            return
        for entry in payload.get("entry") or []:
            # `standby` entries (another app holds the thread) carry no `messaging`.
            for event in entry.get("messaging") or []:
                yield self.event(event)

    def event(self, event: Dict[str, Any]) -> Optional[Inbound]:
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
        return Inbound(user, delivery, UNSUPPORTED_MESSAGE)

    def output(self) -> "MessengerOutput":
        return MessengerOutput(self)


class MessengerOutput(PlatformOutput):
    platform = "messenger"
    channel: MessengerInput

    async def requests(self, chat: str, reply: Reply) -> List[Any]:
        callable_ = [b for b in reply.phone_buttons if CALLABLE_NUMBER.match(b.phone)]
        phones = callable_[: MessengerLimit.MAX_TEMPLATE_BUTTONS]
        # Short codes, and phone buttons beyond what one template holds, become lines of text.
        text = with_phone_lines(reply.text, [b for b in reply.phone_buttons if b not in phones])
        messages = [{"text": part} for part in split_text(text, MessengerLimit.MAX_TEXT_LENGTH)]
        if phones and messages:
            messages[-1:] = self.button_template(messages[-1]["text"], phones)
        answers = kept_within(reply.answer_buttons, MessengerLimit.MAX_QUICK_REPLIES, self.platform)
        if answers and messages:
            messages[-1]["quick_replies"] = [quick_reply(b) for b in answers]
        if reply.image_url:
            messages.append({"attachment": {"type": "image", "payload": {"url": reply.image_url, "is_reusable": True}}})
        return [self._send(chat, message, reply.staff_reply) for message in messages]

    @staticmethod
    def button_template(text: str, phones: List[Button]) -> List[Dict[str, Any]]:
        """The last part of the text with call buttons; a template holds less text than a message."""
        parts = split_text(text, MessengerLimit.MAX_TEMPLATE_TEXT_LENGTH)
        template = {"attachment": {"type": "template", "payload": {
            "template_type": "button",
            "text": parts[-1],
            "buttons": [
                {"type": "phone_number", "title": b.title[: MessengerLimit.MAX_BUTTON_TITLE], "payload": b.phone}
                for b in phones
            ],
        }}}
        return [{"text": part} for part in parts[:-1]] + [template]

    def _send(self, chat: str, message: Dict[str, Any], staff_reply: bool):
        body: Dict[str, Any] = {"recipient": {"id": chat}, "message": message}
        if staff_reply:
            # A person's reply may come after Messenger's 24-hour window: the
            # HUMAN_AGENT tag allows 7 days (the app needs that permission).
            body.update(messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
        else:
            body["messaging_type"] = "RESPONSE"

        async def attempt() -> Optional[str]:
            answer = await self.channel.client.post(
                f"{self.channel.settings.api_base}/me/messages",
                params={"access_token": self.channel.settings.page_token},
                json=body,
            )
            if answer.status_code == 400 and graph_error_code(answer) in RETRYABLE_ERRORS:
                raise TryAgain(f"Graph error {graph_error_code(answer)}")
            check_http_status(answer)
            return answer.json().get("message_id")
        return attempt


def graph_error_code(answer: httpx.Response) -> Optional[int]:
    try:
        return (answer.json().get("error") or {}).get("code")
    except ValueError:
        return None


def quick_reply(button: Button) -> Dict[str, Any]:
    return {
        "content_type": "text",
        "title": button.title[: MessengerLimit.MAX_QUICK_REPLY_TITLE],
        "payload": button.payload[: MessengerLimit.MAX_PAYLOAD_LENGTH],
    }
