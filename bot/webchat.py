"""The local web chat: its page, its API, and what stands between a stranger and Rasa.

The browser never names a sender: the bot service gives each browser a random
web chat id ("web-…") in an HttpOnly cookie, so nobody can write as another
user, and the id never travels in a URL. Messages reach Rasa's web chat
channel (channels/webchat.py) with the channel's secret. A message starting
with "/" is an intent only when it is the payload of a button this service
delivered to this browser; typed, it stays words. Messages, new ids and
screenshots are rate-limited per browser and per address, and screenshots are
held in memory, within quotas, for one read by the action server.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import jinja2
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.content import LiveContent
from bot.guards import RateLimit, read_json, request_address, trusted_networks
from bot.handoff.delivery import Delivery
from bot.offers.ocr import SERVICE_TOKEN_HEADER
from bot.settings import Settings
from contract.limits import MAX_WEBCHAT_TEXT
from contract.media import MAX_IMAGE_BYTES
from contract.names import CHECK_JOB_OFFER_INTENT, WEBCHAT_SECRET_HEADER

logger = logging.getLogger(__name__)

MAX_CHAT_MESSAGE_CHARS = MAX_WEBCHAT_TEXT
# The line the page gives when the assistant cannot answer (content/hotlines.yml; `content check` asks for it).
MAIN_HOTLINE = "trafficking"
COOKIE = "webchat_id"
COOKIE_SECONDS = 7 * 24 * 3600
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
UPLOAD_SECONDS = 600
UPLOADS_PER_SENDER = 3
UPLOADS_HELD = 100
UPLOAD_BYTES_HELD = 200 * 1024 * 1024
GREETING = "/greet"
_HERE = Path(__file__).parent
_PAGES = jinja2.Environment(loader=jinja2.FileSystemLoader(_HERE / "templates"), autoescape=True)


class Limits:
    """How often one browser, and one address, may do each thing."""

    def __init__(self) -> None:
        self.messages_per_sender = RateLimit(20, 60)
        self.messages_per_address = RateLimit(60, 60)
        self.new_ids_per_address = RateLimit(20, 3600)
        self.uploads_per_sender = RateLimit(5, 600)
        self.uploads_per_address = RateLimit(20, 600)


class Uploads:
    """Screenshots held briefly for the action server's OCR.

    Kept in memory only, behind an unguessable token, and gone after one read
    or ten minutes: a screenshot may show a person's own details. At most a few
    per browser, and a bounded count and size in all.
    """

    def __init__(self) -> None:
        self._images: OrderedDict[str, tuple[bytes, str, float, str]] = OrderedDict()

    def put(self, image: bytes, content_type: str, sender: str) -> str | None:
        """The token to fetch it by, or None when the quotas are full."""
        self._forget_old()
        held = list(self._images.values())
        if (
            sum(1 for *_, owner in held if owner == sender) >= UPLOADS_PER_SENDER
            or len(held) >= UPLOADS_HELD
            or sum(len(i) for i, *_ in held) + len(image) > UPLOAD_BYTES_HELD
        ):
            return None
        token = secrets.token_urlsafe(24)
        self._images[token] = (image, content_type, time.monotonic(), sender)
        return token

    def take(self, token: str) -> tuple[bytes, str] | None:
        self._forget_old()
        held = self._images.pop(token, None)
        return (held[0], held[1]) if held else None

    def _forget_old(self) -> None:
        cutoff = time.monotonic() - UPLOAD_SECONDS
        while self._images and next(iter(self._images.values()))[2] < cutoff:
            self._images.popitem(last=False)


class ButtonMemory:
    """The button payloads last delivered to each browser: the only "/intent" it may send."""

    def __init__(self, browsers: int = 20_000) -> None:
        self.browsers = browsers
        self._payloads: OrderedDict[str, list[str]] = OrderedDict()

    def remember(self, sender: str, messages: Sequence[dict[str, Any]]) -> None:
        payloads = [b.get("payload", "") for m in messages for b in (m.get("buttons") or [])]
        payloads = [p for p in payloads if isinstance(p, str) and p.startswith("/")]
        if not payloads:
            return
        self._payloads[sender] = (self._payloads.pop(sender, []) + payloads)[-30:]
        while len(self._payloads) > self.browsers:
            self._payloads.popitem(last=False)

    def delivered(self, sender: str, payload: str) -> bool:
        return payload in self._payloads.get(sender, ())


def new_webchat_id() -> str:
    return "web-" + secrets.token_urlsafe(18)


def webchat_routes(
    settings: Settings,
    content: LiveContent,
    delivery: Delivery,
    rasa: httpx.AsyncClient,
    trusted_proxies: Sequence[str] = (),
) -> list[Route]:
    limits, uploads, buttons = Limits(), Uploads(), ButtonMemory()
    proxies = trusted_networks(trusted_proxies)

    def labels() -> dict[str, str]:
        current = content.templates.content
        number = current.hotlines[MAIN_HOTLINE].number
        return dict(
            current.webchat,
            unavailable=f"{current.webchat['unavailable']} {number}",
            too_fast=f"{current.webchat['too_fast']} {number}",
        )

    def refused(reason: str, status: int) -> JSONResponse:
        return JSONResponse({"error": reason, "text": labels().get(reason, "")}, status_code=status)

    def sender_of(request: Request) -> str | None:
        sender = request.cookies.get(COOKIE, "")
        return sender if sender.startswith("web-") and 12 <= len(sender) <= 68 else None

    def sender_or_new(request: Request) -> str | None:
        """This browser's id, or a new one unless its address has made too many lately."""
        known = sender_of(request)
        if known or not limits.new_ids_per_address.allow(request_address(request, proxies)):
            return known
        return new_webchat_id()

    def with_identity(reply: Response, sender: str) -> Response:
        reply.set_cookie(
            COOKIE, sender, max_age=COOKIE_SECONDS, httponly=True, samesite="strict", secure=settings.secure_cookies
        )
        return reply

    def over_limit(request: Request, sender: str, per_sender: RateLimit, per_address: RateLimit) -> bool:
        return not per_sender.allow(sender) or not per_address.allow(request_address(request, proxies))

    async def to_rasa(
        sender: str, message: str, payload: bool = False, metadata: dict[str, str] | None = None
    ) -> Response:
        try:
            reply = await rasa.post(
                "/webhooks/rest/webhook",
                headers={WEBCHAT_SECRET_HEADER: settings.webchat_channel_secret},
                json={"sender": sender, "message": message, "payload": payload, "metadata": metadata or {}},
            )
            reply.raise_for_status()
        except httpx.HTTPError as error:
            logger.error("Rasa did not answer the web chat: %s", type(error).__name__)
            return refused("unavailable", 503)
        messages = reply.json()
        buttons.remember(sender, messages)
        return JSONResponse(messages)

    async def chat_page(request: Request) -> Response:
        # Verified numbers only become tap-to-call links: "1500" in a salary must not.
        phones = {h.number: h.dial for h in content.templates.content.hotlines.values() if h.dial}
        page = HTMLResponse(
            _PAGES.get_template("webchat.html").render(labels=labels(), phones=phones, max_chars=MAX_CHAT_MESSAGE_CHARS)
        )
        sender = sender_or_new(request)
        return with_identity(page, sender) if sender else page

    async def script(request: Request) -> Response:
        return FileResponse(_HERE / "static" / "webchat.js", media_type="text/javascript")

    async def chat(request: Request) -> Response:
        sender, body = sender_or_new(request), await read_json(request)
        if sender is None:
            return refused("too_fast", 429)
        if not isinstance(body, dict) or not isinstance(body.get("message"), str) or not body["message"].strip():
            return JSONResponse({"error": "bad_request"}, status_code=400)
        message = body["message"]
        if len(message) > MAX_CHAT_MESSAGE_CHARS:
            return refused("too_long", 413)
        if over_limit(request, sender, limits.messages_per_sender, limits.messages_per_address):
            return refused("too_fast", 429)
        is_payload = body.get("button") is True and buttons.delivered(sender, message)
        return with_identity(await to_rasa(sender, message, payload=is_payload), sender)

    async def chat_start(request: Request) -> Response:
        sender = sender_or_new(request)
        if sender is None or over_limit(request, sender, limits.messages_per_sender, limits.messages_per_address):
            return refused("too_fast", 429)
        return with_identity(await to_rasa(sender, GREETING, payload=True), sender)

    async def chat_image(request: Request) -> Response:
        """A screenshot of an offer: held here, and Rasa asked to check it by its reference."""
        sender = sender_of(request)
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if sender is None or over_limit(request, sender, limits.uploads_per_sender, limits.uploads_per_address):
            return refused("too_fast", 429)
        if content_type not in IMAGE_TYPES:
            return refused("image_refused", 415)
        image = await request.body()  # BodyLimit has stopped anything over MAX_IMAGE_BYTES
        if not image:
            return JSONResponse({"error": "bad_request"}, status_code=400)
        token = uploads.put(image, content_type, sender)
        if token is None:
            return refused("too_fast", 429)
        reference = f"{settings.bot_service_url.rstrip('/')}/uploads/{token}"
        return await to_rasa(sender, f"/{CHECK_JOB_OFFER_INTENT}", payload=True, metadata={"image_url": reference})

    async def chat_updates(request: Request) -> Response:
        """Staff replies (and other news) waiting for this browser."""
        sender = sender_of(request)
        if sender is None:
            return JSONResponse([])
        messages = delivery.take_webchat_messages(sender)
        buttons.remember(sender, messages)
        return JSONResponse(messages)

    async def uploaded(request: Request) -> Response:
        """For the action server only: it presents SERVICE_TOKEN."""
        if not hmac.compare_digest(
            request.headers.get(SERVICE_TOKEN_HEADER, "").encode(), settings.service_token.encode()
        ):
            return Response(status_code=401)
        held = uploads.take(request.path_params["token"])
        if held is None:
            return Response(status_code=404)
        return Response(held[0], media_type=held[1])

    return [
        Route("/", chat_page),
        Route("/static/webchat.js", script),
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/chat/start", chat_start, methods=["POST"]),
        Route("/api/chat-image", chat_image, methods=["POST"]),
        Route("/api/chat/updates", chat_updates),
        Route("/uploads/{token}", uploaded),
    ]


__all__ = ["webchat_routes", "MAX_CHAT_MESSAGE_CHARS", "MAX_IMAGE_BYTES", "COOKIE"]
