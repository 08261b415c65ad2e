"""The bot service (port 8000): NLG endpoint, local web chat, health.

Rasa asks `POST /nlg` for every response; the text comes from content/,
rendered for the channel asking, from the last good version of the files.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import httpx
import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.console.app import console_routes
from bot.content import LiveContent
from bot.handoff import worker
from bot.handoff.delivery import Delivery
from bot.security_headers import SecurityHeaders
from bot.settings import Settings
from bot.store import Database

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO: the calls to Rasa's API carry its token
# and the conversation id, which holds the platform user id.
logging.getLogger("httpx").setLevel(logging.WARNING)

FALLBACK_RESPONSE = "utter_technical_problem"
# Keys rasa_sdk always sends with a dispatched response; they are not template variables.
_DISPATCH_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment", "json_message"}
MAX_CHAT_MESSAGE_CHARS = 5000
MAX_IMAGE_BYTES = 10 * 1024 * 1024
UPLOAD_SECONDS = 600
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True
)


def render_response(content: LiveContent, body: Dict[str, Any]) -> Dict[str, Any]:
    """What Rasa's NLG endpoint answers; never an empty or broken message."""
    name = body.get("response") or body.get("template") or ""
    channel = (body.get("channel") or {}).get("name") or "rest"
    # None stays None: "no embassy" is an answer a template may test for.
    arguments = {k: v for k, v in (body.get("arguments") or {}).items() if k not in _DISPATCH_KEYS}
    slots = (body.get("tracker") or {}).get("slots") or {}
    templates = content.templates
    try:
        return templates.render(name, channel, arguments, slots)
    except KeyError:
        logger.error("response %r is not in content/: sent %s instead", name, FALLBACK_RESPONSE)
    except jinja2.TemplateError as error:
        # The error names the missing variable, never the user's text.
        logger.error("response %r failed to render (%s): sent %s instead", name, error, FALLBACK_RESPONSE)
    except Exception as error:  # a value of the wrong type from an action: still answer
        logger.error("response %r failed to render (%s): sent %s instead", name, type(error).__name__, FALLBACK_RESPONSE)
    return templates.render(FALLBACK_RESPONSE, channel, {}, {})


class Uploads:
    """Screenshots from the web chat, held briefly for the action server's OCR.

    Kept in memory only, behind an unguessable token, and gone after one read
    or ten minutes: a screenshot may show a person's own details.
    """

    def __init__(self) -> None:
        self._images: Dict[str, Tuple[bytes, str, float]] = {}

    def put(self, image: bytes, content_type: str) -> str:
        self._forget_old()
        token = secrets.token_urlsafe(24)
        self._images[token] = (image, content_type, time.monotonic())
        return token

    def take(self, token: str) -> Optional[Tuple[bytes, str]]:
        self._forget_old()
        held = self._images.pop(token, None)
        return (held[0], held[1]) if held else None

    def _forget_old(self) -> None:
        cutoff = time.monotonic() - UPLOAD_SECONDS
        for token in [t for t, (_, _, at) in self._images.items() if at < cutoff]:
            del self._images[token]


def create_app(settings: Settings) -> Starlette:
    content = LiveContent(settings.content_dir)
    rasa = httpx.AsyncClient(base_url=settings.rasa_url, timeout=60)
    uploads = Uploads()
    db = Database(settings.database_url)
    delivery = Delivery(db, rasa, settings.rasa_api_token, settings.secret_key)

    async def to_rasa(sender: str, message: str, metadata: Optional[Dict[str, Any]] = None) -> Response:
        try:
            reply = await rasa.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": message, "metadata": metadata or {}}
            )
            reply.raise_for_status()
        except httpx.HTTPError as error:
            logger.error("Rasa did not answer the web chat: %s", type(error).__name__)
            return JSONResponse({"error": "unavailable"}, status_code=503)
        return JSONResponse(reply.json())

    async def nlg(request: Request) -> Response:
        return JSONResponse(render_response(content, await request.json()))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "content_problems": len(content.last_problems)})

    async def chat_page(request: Request) -> Response:
        current = content.templates.content
        labels = dict(current.webchat, unavailable=f"{current.webchat['unavailable']} {current.hotlines['trafficking'].number}")
        # Verified numbers only become tap-to-call links: "1500" in a salary must not.
        phones = {h.number: h.dial for h in current.hotlines.values() if h.dial}
        page = _PAGES.get_template("webchat.html").render(
            labels=labels, phones=phones, max_chars=MAX_CHAT_MESSAGE_CHARS
        )
        return HTMLResponse(page)

    async def chat(request: Request) -> Response:
        """The web chat talks to Rasa's REST channel through here (same origin, no CORS)."""
        body = await request.json()
        sender, message = str(body.get("sender", "")), str(body.get("message", ""))
        if not _SENDER.match(sender) or not message.strip():
            return JSONResponse({"error": "bad_request"}, status_code=400)
        if len(message) > MAX_CHAT_MESSAGE_CHARS:
            return JSONResponse({"error": "too_long"}, status_code=413)
        return await to_rasa(sender, message)

    async def chat_image(request: Request) -> Response:
        """A screenshot of an offer: held here, and Rasa asked to check it by its address."""
        sender = request.query_params.get("sender", "")
        content_type = request.headers.get("content-type", "")
        if not _SENDER.match(sender) or not content_type.startswith("image/"):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        if int(request.headers.get("content-length") or 0) > MAX_IMAGE_BYTES:
            return JSONResponse({"error": "too_long"}, status_code=413)
        image = await request.body()
        if not image or len(image) > MAX_IMAGE_BYTES:
            return JSONResponse({"error": "too_long" if image else "bad_request"}, status_code=413 if image else 400)
        token = uploads.put(image, content_type)
        return await to_rasa(sender, "/check_job_offer", {"image_url": f"{settings.bot_service_url}/uploads/{token}"})

    async def chat_updates(request: Request) -> Response:
        """Staff replies (and other news) waiting for this web chat user."""
        sender = request.query_params.get("sender", "")
        if not _SENDER.match(sender):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        return JSONResponse(delivery.take_webchat_messages(sender))

    async def uploaded(request: Request) -> Response:
        held = uploads.take(request.path_params["token"])
        if held is None:
            return Response(status_code=404)
        return Response(held[0], media_type=held[1])

    return Starlette(
        routes=[
            Route("/", chat_page),
            Route("/health", health),
            Route("/nlg", nlg, methods=["POST"]),
            Route("/api/chat", chat, methods=["POST"]),
            Route("/api/chat-image", chat_image, methods=["POST"]),
            Route("/api/chat/updates", chat_updates),
            Route("/uploads/{token}", uploaded),
            *console_routes(db, content, delivery, settings.console_trusted_proxies, settings.secure_cookies),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware, secret_key=settings.secret_key, session_cookie="staff_session",
                max_age=12 * 3600, same_site="strict", https_only=settings.secure_cookies,
            )
        ],
        lifespan=lambda app: _running(rasa, worker.run_forever(db, settings, content, delivery)),
    )


@contextlib.asynccontextmanager
async def _running(client: httpx.AsyncClient, background):
    task = asyncio.create_task(background)
    yield
    task.cancel()
    await client.aclose()
