"""The bot service (port 8000): NLG endpoint, local web chat, staff console, health.

Rasa asks `POST /nlg` for every response; the text comes from content/,
rendered for the channel asking, from the last good version of the files.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

import httpx
import jinja2
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.analytics.events import Recorder
from bot.console.app import console_routes
from bot.content import LiveContent
from bot.guards import KIB, MIB, BodyLimit, read_json
from bot.handoff import worker
from bot.handoff.delivery import Delivery
from bot.offers.ocr import SERVICE_TOKEN_HEADER
from bot.security_headers import SecurityHeaders
from bot.settings import Settings
from bot.store import Database
from bot.webchat import webchat_routes
from contract.media import MAX_IMAGE_BYTES

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO: the calls to Rasa's API carry its token
# and the conversation id, which holds the platform user id.
logging.getLogger("httpx").setLevel(logging.WARNING)

FALLBACK_RESPONSE = "utter_technical_problem"
MAX_PROBLEM_CHARS = 64  # an analytics id (bot/analytics/events.py)
# Keys rasa_sdk always sends with a dispatched response; they are not template variables.
_DISPATCH_KEYS = {
    "text",
    "buttons",
    "elements",
    "custom",
    "template",
    "response",
    "image",
    "attachment",
    "json_message",
}
# Rasa sends the whole tracker with every NLG request: a long hand-off is a few hundred kB.
BODY_LIMITS = (("/nlg", 4 * MIB), ("/api/chat-image", MAX_IMAGE_BYTES), ("/api/chat", 32 * KIB))


def render_response(
    content: LiveContent, body: dict[str, Any], problem: Callable[[str, str], None] | None = None
) -> dict[str, Any]:
    """What Rasa's NLG endpoint answers; never an empty or broken message.

    A response that cannot be rendered is reported to `problem(channel, what)`
    (the campaign's content_problems figure: which response, never the user's values).
    """
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
        failure = "missing"
    except jinja2.TemplateError as error:
        # The error names the missing variable, never the user's text.
        logger.error("response %r failed to render (%s): sent %s instead", name, error, FALLBACK_RESPONSE)
        failure = "template_error"
    except Exception as error:  # a value of the wrong type from an action: still answer
        logger.error(
            "response %r failed to render (%s): sent %s instead", name, type(error).__name__, FALLBACK_RESPONSE
        )
        failure = "wrong_value"
    if problem is not None:
        problem(channel, f"{failure} {name}"[:MAX_PROBLEM_CHARS])
    return templates.render(FALLBACK_RESPONSE, channel, {}, {})


def create_app(settings: Settings) -> Starlette:
    if not settings.console_session_secret or not settings.service_token:
        # Settings.from_env() always has them (made locally, required in production).
        raise ValueError("the bot service needs CONSOLE_SESSION_SECRET and SERVICE_TOKEN")
    content = LiveContent(settings.content_dir)
    rasa = httpx.AsyncClient(base_url=settings.rasa_url, timeout=60)
    db = Database(settings.database_url)
    delivery = Delivery(db, rasa, settings.rasa_jwt_secret, settings.secret_key)
    recorder = Recorder(db)

    def count_problem(channel: str, problem: str) -> None:
        try:
            recorder.content_problem(channel, problem)
        except (SQLAlchemyError, ValueError) as error:  # the user still gets the fallback answer
            logger.warning("content problem not counted (%s)", type(error).__name__)

    if settings.staff_webhook_url and not settings.staff_webhook_secret:
        logger.error("STAFF_WEBHOOK_URL is set without STAFF_WEBHOOK_SECRET: new cases are not announced there")

    async def nlg(request: Request) -> Response:
        """For Rasa only: it presents SERVICE_TOKEN (endpoints.yml)."""
        if not hmac.compare_digest(
            request.headers.get(SERVICE_TOKEN_HEADER, "").encode(), settings.service_token.encode()
        ):
            return JSONResponse({"error": "unauthorised"}, status_code=401)
        body = await read_json(request)
        if not isinstance(body, dict):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        return JSONResponse(render_response(content, body, count_problem))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "content_problems": len(content.last_problems)})

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/nlg", nlg, methods=["POST"]),
            *webchat_routes(settings, content, delivery, rasa, settings.trusted_proxies),
            *console_routes(db, content, delivery, settings.trusted_proxies, settings.secure_cookies),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, limits=BODY_LIMITS, default=64 * KIB),
            Middleware(
                SessionMiddleware,
                secret_key=settings.console_session_secret,
                session_cookie="staff_session",
                max_age=12 * 3600,
                same_site="strict",
                https_only=settings.secure_cookies,
            ),
        ],
        lifespan=lambda app: _running(rasa, worker.run_forever(db, settings, content, delivery)),
    )


@contextlib.asynccontextmanager
async def _running(client: httpx.AsyncClient, background):
    task = asyncio.create_task(background)
    yield
    task.cancel()
    await client.aclose()
