"""Local stand-ins for the Zalo, Telegram and Messenger APIs, one HTTP server for all three.

They speak the platforms' request and response formats and refuse what the
real platforms refuse (text over the limit, too many buttons, callback data
over 64 bytes, a wrong token, a reply outside the platform's window), so a
connector that breaks a rule fails a test. Where the real rule is not known
for sure, the fake takes the strictest reading (each rule names its source;
docs/channels.md lists what is unverified). Each can be told to fail the next
sends (429, 500, Zalo's -216).

The fakes learn when a user wrote from `webhooks.Webhooks`, which tells them
of every user event it posts (`user_wrote`), as the real platforms know it.

    Zalo:      {url}/zalo      (API and OAuth base)
    Telegram:  {url}/telegram  (Bot API base: /telegram/bot<TOKEN>/<method>)
    Messenger: {url}/messenger (Graph base: /messenger/me/messages)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from support import free_port

ZALO_APP_ID = "1234567890"
ZALO_APP_SECRET = "zalo-app-secret"
ZALO_OA_SECRET = "zalo-oa-secret"
ZALO_OA_ID = "579745863508352884"
TELEGRAM_TOKEN = "123456:TEST-token"
MESSENGER_PAGE_TOKEN = "messenger-page-token"
PHOTO_BYTES = b"\x89PNG fake photo"
HOUR = 3600.0
DAY = 24 * HOUR


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def zalo_signature(body: bytes, timestamp: str, secret: str = ZALO_OA_SECRET) -> str:
    return "mac=" + hashlib.sha256(ZALO_APP_ID.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


@dataclass
class Sent:
    """One accepted send: when it arrived, to whom, and what it said."""

    at: float
    recipient: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        message = self.body.get("message", self.body)
        if isinstance(message, dict):
            template = (message.get("attachment") or {}).get("payload") or {}
            return message.get("text") or template.get("text") or ""
        return ""


@dataclass
class Platform:
    """What one fake platform accepted, refused, and is told to do next."""

    sent: list[Sent] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failures: list[Any] = field(default_factory=list)
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # When each user last wrote (seconds since the epoch): the platform's window.
    last_wrote: dict[str, float] = field(default_factory=dict)

    def user_wrote(self, user: str, at: float | None = None) -> None:
        with self.lock:
            self.last_wrote[str(user)] = time.time() if at is None else at

    def age(self, user: str, hours: float) -> None:
        """The user's last message moves `hours` into the past."""
        with self.lock:
            self.last_wrote[str(user)] -= hours * HOUR

    def since_user_wrote(self, user: str) -> float | None:
        with self.lock:
            at = self.last_wrote.get(str(user))
        return None if at is None else time.time() - at

    def fail_next(self, *failures: Any) -> None:
        with self.lock:
            self.failures.extend(failures)

    def next_failure(self) -> Any | None:
        with self.lock:
            self.calls += 1
            return self.failures.pop(0) if self.failures else None

    def accept(self, recipient: str, body: dict[str, Any]) -> None:
        with self.lock:
            self.sent.append(Sent(time.time(), str(recipient), body))

    def refuse(self, why: str) -> None:
        with self.lock:
            self.refused.append(why)

    def to(self, recipient: str) -> list[Sent]:
        with self.lock:
            return [s for s in self.sent if s.recipient == str(recipient)]

    def wait_for(self, recipient: str, count: int = 1, timeout: float = 60, settle: float = 1.5) -> list[Sent]:
        """The sends to one user, once at least `count` arrived and no more came for `settle` seconds."""
        deadline = time.monotonic() + timeout
        seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = self.to(recipient)
            if len(now) != seen:
                seen, quiet_since = len(now), time.monotonic()
            if seen >= count and time.monotonic() - quiet_since >= settle:
                return now
            time.sleep(0.1)
        return self.to(recipient)


class Zalo(Platform):
    # Zalo's button types; a phone_code of digits only, a Vietnamese number: the
    # only form seen working (issue 14; "+84…" or a short code is not known to work).
    PHONE_CODE = re.compile(r"^(84|0)\d{9,10}$")

    def __init__(self) -> None:
        super().__init__()
        self.access_token = "zalo-access-1"
        self.refresh_token = "zalo-refresh-1"
        self.refreshes = 0
        # Replies from 48 hours to 7 days after the user's last message are paid
        # through a Zalo Cloud Account linked to the app: -320 without one, -321
        # when it cannot pay; after 7 days -230 (docs/channels.md, Zalo section).
        self.cloud_account = False
        self.cloud_account_can_pay = True
        # Where the OA's webhook points: every message the OA sends is echoed
        # there (`oa_send_*`), ours too, every other one before the send's answer.
        self.webhook_url: str | None = None
        self.echoes_sent = 0
        # The conversation API: how often it was read, and whether it answers 500.
        self.conversation_reads = 0
        self.conversation_unavailable = False

    def expire_token(self) -> None:
        """The access token stops working, as after its 25 hours."""
        self.access_token = f"zalo-access-unknown-{uuid.uuid4().hex}"

    async def send(self, request: Request) -> Response:
        body = await request.json()
        failure = self.next_failure()
        if isinstance(failure, int) and failure >= 400:
            return JSONResponse({"error": -1}, status_code=failure)
        if failure == -216:
            self.expire_token()
        if request.headers.get("access_token") != self.access_token:
            self.refuse("wrong access token")
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        if failure == -32:
            return JSONResponse({"error": -32, "message": "Rate limit"})
        recipient = body["recipient"]["user_id"]
        window = (
            self.window_refusal(recipient)
            if failure != -230
            else (-230, "User has not interacted with the OA in the last 7 days")
        )
        if window:
            self.refuse(f"error {window[0]}")
            return JSONResponse({"error": window[0], "message": window[1]})
        problem = self.problem(body.get("message") or {})
        if problem:
            self.refuse(problem)
            return JSONResponse({"error": -201, "message": problem})
        self.accept(recipient, body)
        message_id = uuid.uuid4().hex
        answer = {"error": 0, "message": "Success", "data": {"message_id": message_id, "user_id": recipient}}
        if not self.webhook_url:
            return JSONResponse(answer)
        self.echoes_sent += 1
        echo = self.echo(recipient, body.get("message") or {}, message_id)
        if self.echoes_sent % 2:
            await echo()  # the echo arrives before the send has its answer
            return JSONResponse(answer)
        return JSONResponse(answer, background=BackgroundTask(echo))

    async def conversation(self, request: Request) -> Response:
        """GET /v2.0/oa/conversation?data={"user_id", "offset", "count"}: the OA's messages
        to one user, newest first, from what this fake accepted. As integrators call it
        (channels/zalo.py `recent_oa_messages` names them): the `access_token` header,
        a JSON `data` parameter with the user's id, at most 10 messages a call; `src` 0
        for the OA's messages. It knows no text the user wrote, so it lists only the OA's.
        The error code of a bad parameter is not documented for this API: -201, as this
        fake answers other invalid parameters; a wrong token -216, as the send API."""
        self.conversation_reads += 1
        if self.conversation_unavailable:
            return JSONResponse({"error": -1}, status_code=500)
        if request.headers.get("access_token") != self.access_token:
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        try:
            data = json.loads(request.query_params["data"])
            user, offset, count = str(data["user_id"]), int(data.get("offset", 0)), int(data.get("count", 10))
        except (KeyError, ValueError, TypeError):
            return JSONResponse({"error": -201, "message": "Parameter data is invalid"})
        if not 1 <= count <= 10 or offset < 0:
            return JSONResponse({"error": -201, "message": "count must be 1 to 10, offset 0 or more"})
        newest_first = list(reversed(self.to(user)))[offset : offset + count]
        return JSONResponse({"error": 0, "message": "Success", "data": [self.listed(s) for s in newest_first]})

    @staticmethod
    def listed(sent: Sent) -> dict[str, Any]:
        """One accepted send as the conversation API lists it."""
        return {
            "src": 0,
            "time": int(sent.at * 1000),
            "type": "text" if sent.text else "template",
            "message": sent.text,
            "from_id": ZALO_OA_ID,
            "to_id": sent.recipient,
        }

    def window_refusal(self, user: str) -> tuple | None:
        since = self.since_user_wrote(user)
        if since is None or since > 7 * DAY:
            return -230, "User has not interacted with the OA in the last 7 days"
        if since > 48 * HOUR and not self.cloud_account:
            return -320, "Your app needs to connect with a Zalo Cloud Account to use this feature"
        if since > 48 * HOUR and not self.cloud_account_can_pay:
            return -321, "The Zalo Cloud Account linked to the app has run out of money"
        return None

    def echo(self, user: str, message: dict[str, Any], message_id: str):
        """Zalo's `oa_send_text` for a message the OA sent through the API: no `admin_id`."""
        event = {
            "app_id": ZALO_APP_ID,
            "event_name": "oa_send_text",
            "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": ZALO_OA_ID},
            "recipient": {"id": user},
            "message": {"text": message.get("text", ""), "msg_id": message_id},
        }

        async def post() -> None:
            body = json.dumps(event).encode()
            headers = {
                "Content-Type": "application/json",
                "X-ZEvent-Signature": zalo_signature(body, event["timestamp"]),
            }
            async with httpx.AsyncClient(timeout=10) as client:
                await client.post(self.webhook_url, content=body, headers=headers)

        return post

    def register_webhook(self, url: str) -> bool:
        """Saving the webhook URL in the developer console: Zalo posts an unsigned `{}`
        and keeps the URL only if it is answered 200 (issue 14, as integrators report it)."""
        answered = httpx.post(url, json={}, timeout=10)
        if answered.status_code != 200:
            return False
        self.webhook_url = url
        return True

    @staticmethod
    def problem(message: dict[str, Any]) -> str | None:
        if len(message.get("text") or "") > 2000:
            return "text over 2000 characters"
        attachment = message.get("attachment")
        if not message.get("text") and not attachment:
            return "empty message"
        buttons = ((attachment or {}).get("payload") or {}).get("buttons") or []
        if len(buttons) > 5:
            return "more than 5 buttons"
        for button in buttons:
            if len(button.get("title") or "") > 100:
                return "button title over 100 characters"
            if button.get("type") == "oa.query.hide" and not isinstance(button.get("payload"), str):
                return "query button without a text payload"
            if button.get("type") == "oa.query.hide" and len(button["payload"]) > 1000:
                return "query payload over 1000 characters"
            if button.get("type") == "oa.open.phone" and not Zalo.PHONE_CODE.match(
                str((button.get("payload") or {}).get("phone_code", ""))
            ):
                return "phone_code is not a number in digits (84… or 0…)"
            if button.get("type") not in ("oa.query.hide", "oa.query.show", "oa.open.phone", "oa.open.url"):
                return f"unknown button type {button.get('type')}"
            if str(button.get("payload", "")).startswith("tel:"):
                return "tel: payload in a query button"
        return None

    async def refresh(self, request: Request) -> Response:
        form = await request.form()
        if request.headers.get("secret_key") != ZALO_APP_SECRET:
            return JSONResponse({"error": -14002, "message": "Invalid secret key"})
        if form.get("grant_type") != "refresh_token" or form.get("app_id") != ZALO_APP_ID:
            return JSONResponse({"error": -14003, "message": "Invalid request"})
        if form.get("refresh_token") != self.refresh_token:
            return JSONResponse({"error": -14014, "message": "Invalid refresh token"})
        self.refreshes += 1
        # Single-use: the old refresh token stops working now.
        self.access_token = f"zalo-access-{self.refreshes + 1}"
        self.refresh_token = f"zalo-refresh-{self.refreshes + 1}"
        return JSONResponse(
            {"access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": "90000"}
        )


class Telegram(Platform):
    # Telegram does not document how long a button press may wait for its
    # answerCallbackQuery; late ones fail with this (contract.limits.TelegramLimit).
    CALLBACK_ANSWER_SECONDS = 5
    TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    # Longer than the read timeout a test gives the connector (TelegramSettings.read_timeout):
    # the message is taken, but the client gives up waiting for the answer.
    SLOW_SECONDS = 1.5

    def __init__(self) -> None:
        super().__init__()
        self.answered_callbacks: list[str] = []
        self.pressed_at: dict[str, float] = {}
        self.webhooks: list[dict[str, Any]] = []
        self.get_me_failures = 0

    def pressed(self, query_id: str) -> None:
        with self.lock:
            self.pressed_at[query_id] = time.time()

    async def call(self, request: Request) -> Response:
        if request.path_params["token"] != TELEGRAM_TOKEN:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        fields = await _fields(request)
        method = request.path_params["method"]
        if method == "getMe":
            if self.get_me_failures:
                self.get_me_failures -= 1
                return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status_code=502)
            return _ok({"id": 123456, "is_bot": True, "first_name": "Trợ lý", "username": "campaign_bot"})
        if method == "answerCallbackQuery":
            pressed = self.pressed_at.get(fields["callback_query_id"])
            if pressed is None or time.time() - pressed > self.CALLBACK_ANSWER_SECONDS:
                self.refuse(self.TOO_OLD)
                return _bad(self.TOO_OLD)
            self.answered_callbacks.append(fields["callback_query_id"])
            return _ok(True)
        if method == "getFile":
            return _ok(
                {
                    "file_id": fields["file_id"],
                    "file_unique_id": "u1",
                    "file_size": len(PHOTO_BYTES),
                    "file_path": "photos/1.png",
                }
            )
        if method == "setWebhook":
            self.webhooks.append(fields)
            return _ok(True)
        if method not in ("sendMessage", "sendPhoto"):
            return _bad(f"method {method} not faked")
        failure = self.next_failure()
        if failure == "slow":
            await asyncio.sleep(self.SLOW_SECONDS)  # taken below, answered too late for the client
        if failure == 429:
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
                status_code=429,
            )
        if isinstance(failure, int):
            return JSONResponse(
                {"ok": False, "error_code": failure, "description": "Internal Server Error"}, status_code=failure
            )
        problem = self.problem(fields)
        if problem:
            self.refuse(problem)
            return _bad(problem)
        self.accept(fields["chat_id"], fields)
        return _ok(
            {
                "message_id": len(self.sent),
                "date": int(time.time()),
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "text": fields.get("text", ""),
            }
        )

    @staticmethod
    def problem(fields: dict[str, Any]) -> str | None:
        text = fields.get("text")
        if text is not None and not 1 <= utf16_length(text) <= 4096:
            return "Bad Request: message is too long" if text else "Bad Request: message text is empty"
        markup = fields.get("reply_markup")
        if markup:
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode()) <= 64:
                        return "Bad Request: BUTTON_DATA_INVALID"
                    if str(button.get("url", "")).startswith("tel:"):
                        return "Bad Request: wrong HTTP URL"
        return None

    async def file(self, request: Request) -> Response:
        if request.path_params["token"] != TELEGRAM_TOKEN:
            return Response(status_code=401)
        return Response(PHOTO_BYTES, media_type="image/png")


class Messenger(Platform):
    """Graph's Send API. Messages go only within 24 hours of the user's last one
    (RESPONSE); HUMAN_AGENT lets a person answer up to 7 days after, and only an
    app that App Review granted the Human Agent permission may use it
    (https://developers.facebook.com/docs/features-reference/human-agent/)."""

    OUTSIDE_WINDOW = {
        "message": "(#10) This message is sent outside of allowed window.",
        "type": "OAuthException",
        "code": 10,
        "error_subcode": 2018278,
    }
    NO_PERMISSION = {
        "message": "(#10) Application does not have permission for this action",
        "type": "OAuthException",
        "code": 10,
    }

    def __init__(self) -> None:
        super().__init__()
        self.human_agent_permission = False

    async def send(self, request: Request) -> Response:
        if request.query_params.get("access_token") != MESSENGER_PAGE_TOKEN:
            self.refuse("wrong access token")
            return JSONResponse(
                {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}},
                status_code=400,
            )
        body = await request.json()
        failure = self.next_failure()
        if failure == 613:
            return JSONResponse(
                {"error": {"message": "(#613) Calls to this api have exceeded the rate limit.", "code": 613}},
                status_code=400,
            )
        if isinstance(failure, tuple):  # (HTTP status, Graph code): 1200 "temporary", 4 the app's rate limit...
            status, code = failure
            return JSONResponse(
                {"error": {"message": f"(#{code}) failure on request", "code": code}}, status_code=status
            )
        if isinstance(failure, int):
            return JSONResponse(
                {"error": {"message": "An unexpected error has occurred.", "code": 2}}, status_code=failure
            )
        problem = self.problem(body)
        if problem:
            self.refuse(problem)
            return JSONResponse({"error": {"message": problem, "type": "OAuthException", "code": 100}}, status_code=400)
        refusal = self.window_refusal(body)
        if refusal:
            self.refuse(refusal["message"])
            return JSONResponse({"error": refusal}, status_code=400)
        self.accept(body["recipient"]["id"], body)
        return JSONResponse({"recipient_id": body["recipient"]["id"], "message_id": f"m_{uuid.uuid4().hex}"})

    def window_refusal(self, body: dict[str, Any]) -> dict[str, Any] | None:
        since = self.since_user_wrote(body["recipient"]["id"])
        if body.get("tag") == "HUMAN_AGENT":
            if not self.human_agent_permission:
                return self.NO_PERMISSION
            return None if since is not None and since <= 7 * DAY else self.OUTSIDE_WINDOW
        return None if since is not None and since <= DAY else self.OUTSIDE_WINDOW

    @staticmethod
    def problem(body: dict[str, Any]) -> str | None:
        kind = body.get("messaging_type")
        if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return "messaging_type missing"
        if kind == "MESSAGE_TAG" and body.get("tag") not in (
            "HUMAN_AGENT",
            "ACCOUNT_UPDATE",
            "CONFIRMED_EVENT_UPDATE",
            "POST_PURCHASE_UPDATE",
        ):
            return "MESSAGE_TAG without a known tag"
        if kind != "MESSAGE_TAG" and body.get("tag"):
            return "a tag without messaging_type MESSAGE_TAG"
        message = body.get("message") or {}
        if len(message.get("text") or "") > 2000:
            return "text over 2000 characters"
        replies = message.get("quick_replies") or []
        if len(replies) > 13:
            return "more than 13 quick replies"
        if any(utf16_length(r.get("title", "")) > 20 for r in replies):
            return "quick reply title over 20 characters (UTF-16 units, as JavaScript counts)"
        if any(len(r.get("payload", "")) > 1000 for r in replies):
            return "quick reply payload over 1000 characters"
        payload = (message.get("attachment") or {}).get("payload") or {}
        if payload.get("template_type") == "button":
            if not 1 <= len(payload.get("buttons") or []) <= 3:
                return "button template needs 1-3 buttons"
            if len(payload.get("text") or "") > 640:
                return "button template text over 640 characters"
            if any(
                b.get("type") == "phone_number" and not re.match(r"^\+\d+$", b.get("payload", ""))
                for b in payload["buttons"]
            ):
                return "(#100) phone_number payload must be +<country code><number>"
        if not message.get("text") and not message.get("attachment"):
            return "empty message"
        return None


class FakePlatforms:
    """The three fakes on one local server, started in a thread."""

    def __init__(self) -> None:
        self.zalo, self.telegram, self.messenger = Zalo(), Telegram(), Messenger()
        app = Starlette(
            routes=[
                Route("/zalo/v3.0/oa/message/cs", self.zalo.send, methods=["POST"]),
                Route("/zalo/v4/oa/access_token", self.zalo.refresh, methods=["POST"]),
                Route("/zalo/v2.0/oa/conversation", self.zalo.conversation, methods=["GET"]),
                Route("/telegram/bot{token}/{method}", self.telegram.call, methods=["POST", "GET"]),
                Route("/telegram/file/bot{token}/{path:path}", self.telegram.file, methods=["GET"]),
                Route("/messenger/me/messages", self.messenger.send, methods=["POST"]),
            ]
        )
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, ws="none", log_level="warning", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> FakePlatforms:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("fake platforms did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)

    def __enter__(self) -> FakePlatforms:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


async def _fields(request: Request) -> dict[str, Any]:
    """PTB posts form fields, nested ones as JSON strings; others post JSON."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return await request.json()
    form = await request.form()
    fields: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        fields[key] = value
    return fields


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _bad(description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": 400, "description": description}, status_code=400)
