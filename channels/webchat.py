"""The web chat's way into Rasa: Rasa's REST channel, closed to everyone but the bot service.

Rasa's stock REST channel lets whoever reaches it speak as any sender id
("telegram:<id>" included) and type internal intents. This one
- answers only a caller presenting WEBCHAT_CHANNEL_SECRET (the bot service),
- takes only web chat ids ("web-" + random), never a platform's,
- fixes the input channel, and keeps only the metadata the bot service sets,
- caps the message, and lets "/intent" through only when the bot service
  marks it as a button payload it delivered itself, never an internal intent,
- never logs the message.
The name stays "rest": staff replies, the console and content rendering know
the web chat by it.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.core import as_typed
from contract.limits import MAX_WEBCHAT_TEXT
from contract.names import EXTERNAL_PREFIX, PLATFORM_EVENT_INTENTS, WEBCHAT_SECRET_HEADER

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = MAX_WEBCHAT_TEXT
WEBCHAT_SENDER = re.compile(r"^web-[A-Za-z0-9_-]{8,64}$")
# What a button may send: "/intent" or "/intent{json}".
INTENT_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_][A-Za-z0-9_]*)(?:\{.*\})?$", re.DOTALL)
# Intents only the assistant's own processes may produce (bot service, connectors).
INTERNAL_INTENT = re.compile(rf"^(?:{EXTERNAL_PREFIX}\w*|{'|'.join(PLATFORM_EVENT_INTENTS)})$")
KEPT_METADATA = ("image_url",)


def allowed_payload(text: str) -> bool:
    match = INTENT_PAYLOAD.match(text)
    return match is not None and not INTERNAL_INTENT.match(match.group("intent"))


def message_from(body: Any) -> dict[str, Any] | None:
    """The message the bot service sent, checked; None when it is not one we take."""
    if not isinstance(body, dict):
        return None
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not WEBCHAT_SENDER.match(sender) or not isinstance(text, str):
        return None
    if not text.strip() or len(text) > MAX_MESSAGE_CHARS:
        return None
    if body.get("payload") is True:
        if not allowed_payload(text):
            return None
    else:
        text = as_typed(text)
    metadata = body.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    return {"sender": sender, "text": text, "metadata": {k: str(metadata[k]) for k in KEPT_METADATA if k in metadata}}


class WebChatInput(RestInput):
    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret if secret is not None else os.environ.get("WEBCHAT_CHANNEL_SECRET", "")

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("webchat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            given = request.headers.get(WEBCHAT_SECRET_HEADER, "")
            if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
                return response.json({"error": "unauthorised"}, status=401)
            try:
                body = json.loads(request.body or b"null")
            except (ValueError, RecursionError):
                body = None
            message = message_from(body)
            if message is None:
                return response.json({"error": "bad_request"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        message["text"],
                        collector,
                        message["sender"],
                        input_channel=self.name(),
                        metadata=message["metadata"],
                    )
                )
            except CancelledError:
                logger.error("web chat: the turn timed out")
            except Exception as error:  # noqa: BLE001 - the user still gets an answer; never the text in the log
                logger.error("web chat: the turn failed: %s", type(error).__name__)
            return response.json(collector.messages)

        return webhook
