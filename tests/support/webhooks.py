"""Webhooks as each platform signs and posts them, to a running Rasa."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import shutil
import time
import uuid
from typing import Any

import httpx

from bot.handoff.delivery import rasa_api_headers
from support.fakes import ZALO_APP_ID, ZALO_OA_ID, ZALO_OA_SECRET, zalo_signature  # noqa: F401 (zalo_signature: for scripts)

# platform_env starts the channel assistant with this token for Rasa's HTTP API.
RASA_JWT_SECRET = "channel-tests-jwt-secret"
# and this key for pseudonymous user references (bot.store.user_key_for) and button seals.
CHANNEL_APP_SECRET = "channel-tests-secret"
# The domain-verification code the assistant is started with (ZALO_SITE_VERIFICATION).
ZALO_SITE_CODE = "Ab3dE-f9_zTestCode"

TELEGRAM_WEBHOOK_SECRET = "telegram-webhook-secret"
MESSENGER_APP_SECRET = "messenger-app-secret"
MESSENGER_VERIFY_TOKEN = "messenger-verify-token"


def new_user() -> str:
    return str(random.randint(10**15, 10**16 - 1))


def new_message_id() -> str:
    return uuid.uuid4().hex


def zalo_text(user: str, text: str, msg_id: str | None = None, event: str = "user_send_text") -> dict[str, Any]:
    return {
        "app_id": ZALO_APP_ID,
        "user_id_by_app": user,
        "event_name": event,
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user},
        "recipient": {"id": ZALO_OA_ID},
        "message": {"text": text, "msg_id": msg_id or new_message_id()},
    }


def zalo_staff_echo(user: str, text: str) -> dict[str, Any]:
    """What Zalo posts when staff write to the user from the OA admin console: `admin_id` names them."""
    echo = zalo_text(user, text, event="oa_send_text")
    echo["sender"], echo["recipient"] = {"id": ZALO_OA_ID, "admin_id": "8877665544332211"}, {"id": user}
    return echo


def seal_of(payload: str) -> str:
    """A button payload sealed as the connectors seal it (channels.core.seal)."""
    mac = hmac.new(CHANNEL_APP_SECRET.encode(), b"button:" + payload.encode(), hashlib.sha256).hexdigest()[:16]
    return f"{payload} ~{mac}"


def unsealed(sent_payload: str) -> str:
    """The payload behind a seal, checked; a payload without a valid seal fails the test."""
    payload, _, _ = sent_payload.rpartition(" ~")
    assert seal_of(payload) == sent_payload, f"not sealed by the connector: {sent_payload!r}"
    return payload


def telegram_text(chat: str, text: str, update_id: int | None = None) -> dict[str, Any]:
    return {
        "update_id": update_id or random.randint(1, 2**31),
        "message": {
            "message_id": random.randint(1, 10**6),
            "date": int(time.time()),
            "chat": {"id": int(chat), "type": "private", "first_name": "Lan"},
            "from": {"id": int(chat), "is_bot": False, "first_name": "Lan"},
            "text": text,
        },
    }


def telegram_button_press(chat: str, data: str) -> dict[str, Any]:
    return {
        "update_id": random.randint(1, 2**31),
        "callback_query": {
            "id": new_message_id(),
            "chat_instance": "1",
            "data": data,
            "from": {"id": int(chat), "is_bot": False, "first_name": "Lan"},
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": int(chat), "type": "private"},
                "text": "…",
            },
        },
    }


def messenger_text(user: str, text: str, mid: str | None = None, quick_reply: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"mid": mid or f"m_{new_message_id()}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return messenger_batch(
        {"sender": {"id": user}, "recipient": {"id": "PAGE"}, "timestamp": int(time.time() * 1000), "message": message}
    )


def messenger_batch(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [{"id": "PAGE", "time": int(time.time() * 1000), "messaging": [event]} for event in events],
    }


class Webhooks:
    """Posts signed (or forged) webhooks to one Rasa, and tells the fake platforms
    when each user wrote, as the real platforms know it (their reply windows)."""

    def __init__(self, rasa_url: str, platforms=None) -> None:
        self.client = httpx.Client(base_url=f"{rasa_url}/webhooks", timeout=30)
        self.platforms = platforms

    def zalo(self, event: dict[str, Any], secret: str = ZALO_OA_SECRET, signed: bool = True) -> httpx.Response:
        if self.platforms and str(event.get("event_name", "")).startswith("user_send_"):
            self.platforms.zalo.user_wrote(event["sender"]["id"])
        body = json.dumps(event).encode()
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["X-ZEvent-Signature"] = zalo_signature(body, event["timestamp"], secret)
        return self.client.post("/zalo/webhook", content=body, headers=headers)

    def telegram(self, update: dict[str, Any], secret: str | None = TELEGRAM_WEBHOOK_SECRET) -> httpx.Response:
        if self.platforms and "callback_query" in update:
            self.platforms.telegram.pressed(update["callback_query"]["id"])
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return self.client.post("/telegram/webhook", json=update, headers=headers)

    def messenger(self, batch: dict[str, Any], secret: str | None = MESSENGER_APP_SECRET) -> httpx.Response:
        for entry in batch.get("entry") or [] if self.platforms else []:
            for event in entry.get("messaging") or []:
                if "postback" in event or ("message" in event and not event["message"].get("is_echo")):
                    self.platforms.messenger.user_wrote(event["sender"]["id"])
        body = json.dumps(batch).encode()
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return self.client.post("/messenger/webhook", content=body, headers=headers)


def platform_env(fakes_url: str, data_dir) -> dict[str, str]:
    """The connectors' settings, pointed at the fakes."""
    from support.fakes import MESSENGER_PAGE_TOKEN, TELEGRAM_TOKEN, ZALO_APP_SECRET

    return {
        "RASA_JWT_SECRET": RASA_JWT_SECRET,
        "APP_SECRET_KEY": CHANNEL_APP_SECRET,
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET": ZALO_OA_SECRET,
        "ZALO_APP_SECRET": ZALO_APP_SECRET,
        "ZALO_ACCESS_TOKEN": "zalo-access-1",
        "ZALO_REFRESH_TOKEN": "zalo-refresh-1",
        "ZALO_API_BASE": f"{fakes_url}/zalo",
        "ZALO_OAUTH_BASE": f"{fakes_url}/zalo",
        "ZALO_TOKEN_FILE": str(data_dir / "zalo_tokens.json"),
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_WEBHOOK_SECRET,
        "TELEGRAM_API_BASE": f"{fakes_url}/telegram",
        "MESSENGER_APP_SECRET": MESSENGER_APP_SECRET,
        "MESSENGER_VERIFY_TOKEN": MESSENGER_VERIFY_TOKEN,
        "MESSENGER_PAGE_TOKEN": MESSENGER_PAGE_TOKEN,
        "MESSENGER_API_BASE": f"{fakes_url}/messenger",
        "ZALO_SITE_VERIFICATION": ZALO_SITE_CODE,
    }


def assistant_on_fakes(model, fakes_url: str, data, log_name: str, more_rasa_instances: int = 0, **settings: str):
    """The three processes (not yet started), the connectors pointed at the fakes.

    Its own copy of content/ and SQLite databases under `data`, unless
    `settings` (environment variables) say otherwise.
    """
    from bot.localrun import LocalAssistant, Ports
    from support import ROOT, free_port

    shutil.copytree(ROOT / "content", data / "content")
    assistant = LocalAssistant(
        model,
        ports=Ports(
            rasa=free_port(),
            actions=free_port(),
            bot=free_port(),
            more_rasa=tuple(free_port() for _ in range(more_rasa_instances)),
        ),
        data_dir=data,
        extra_env={
            "CONTENT_DIR": str(data / "content"),
            "DATABASE_URL": f"sqlite:///{data / 'app.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{data / 'tracker.db'}",
            **platform_env(fakes_url, data),
            **settings,
        },
        log_dir=ROOT / "results" / log_name,
    )
    assistant.data = data
    assistant.rasa_url = f"http://127.0.0.1:{assistant.ports.rasa}"
    return assistant


def bot_says(assistant, conversation_id: str, text: str, buttons=None, custom=None) -> None:
    """Have Rasa send a message on the channel the user last wrote from, as staff replies are sent."""

    data: dict[str, Any] = {
        "elements": None,
        "quick_replies": None,
        "buttons": buttons,
        "attachment": None,
        "image": None,
        "custom": custom,
    }
    response = httpx.post(
        f"{assistant.rasa_url}/conversations/{conversation_id}/tracker/events",
        params={"output_channel": "latest", "execute_side_effects": "true"},
        headers=rasa_api_headers(RASA_JWT_SECRET),
        json=[{"event": "bot", "text": text, "data": data}],
        timeout=60,
    )
    response.raise_for_status()


def age_last_message(assistant, conversation_id: str, hours: float) -> None:
    """The connectors' record of when this user last wrote moves `hours` into the past."""
    from datetime import timedelta

    from sqlalchemy import select, update

    from channels.store import ChannelStore, last_messages
    from contract.identity import user_key_for

    store = ChannelStore(f"sqlite:///{assistant.data / 'app.db'}")
    platform, key = conversation_id.split(":", 1)[0], user_key_for(conversation_id, CHANNEL_APP_SECRET)
    where = (last_messages.c.platform == platform, last_messages.c.user_key == key)
    with store.engine.begin() as connection:
        (at,) = connection.execute(select(last_messages.c.at).where(*where)).one()
        connection.execute(update(last_messages).where(*where).values(at=at - timedelta(hours=hours)))
    store.engine.dispose()


def latest_user_text(assistant, conversation_id: str) -> str:
    tracker = httpx.get(
        f"{assistant.rasa_url}/conversations/{conversation_id}/tracker",
        headers=rasa_api_headers(RASA_JWT_SECRET),
        timeout=30,
    ).json()
    return tracker["latest_message"]["text"]


class Channel:
    """One platform as the shared battery (test_every_channel.py) drives it.

    The numbers are the platforms' own (docs of each), not the connectors'
    constants, so a wrong constant in `contract.limits` fails the battery.
    """

    name = ""
    text_limit = 0
    # The longest message a user can send: Telegram's documented 4096; where the
    # platform does not say, the connectors' 5000 (contract.limits).
    inbound_limit = 5000
    refusal_status = 0
    # What this platform answers when we send too fast, then a server error.
    slow_down: tuple = ()

    def __init__(self, webhooks: Webhooks, fake) -> None:
        self.webhooks, self.fake = webhooks, fake

    def new_user(self) -> str:
        return new_user()

    def conversation(self, user: str) -> str:
        return f"{self.name}:{user}"

    def message(self, user: str, text: str) -> dict[str, Any]:
        """A new delivery of a text message from `user`."""
        raise NotImplementedError

    def post(self, delivery: dict[str, Any]) -> httpx.Response:
        raise NotImplementedError

    def forgeries(self, delivery: dict[str, Any]) -> list:
        """The delivery posted with a wrong secret, then without any."""
        raise NotImplementedError

    def button_payloads(self, sent) -> list:
        """The payloads of the buttons of one sent message, seals checked and removed."""
        return [unsealed(payload) for payload in self.sent_payloads(sent)]

    def sent_payloads(self, sent) -> list:
        raise NotImplementedError

    def press(self, user: str, sent, payload: str) -> httpx.Response:
        """The user presses the button of `sent` whose payload is `payload`."""
        [pressed] = [p for p in self.sent_payloads(sent) if p.rpartition(" ~")[0] == payload]
        return self.post(self.pressing(user, unsealed(pressed) and pressed))

    def pressing(self, user: str, sent_payload: str) -> dict[str, Any]:
        raise NotImplementedError


class ZaloChannel(Channel):
    name, text_limit, refusal_status, slow_down = "zalo", 2000, 401, (429, -32)

    def message(self, user, text):
        return zalo_text(user, text)

    def post(self, delivery):
        return self.webhooks.zalo(delivery)

    def forgeries(self, delivery):
        return [self.webhooks.zalo(delivery, secret="not-the-secret"), self.webhooks.zalo(delivery, signed=False)]

    def sent_payloads(self, sent):
        attachment = sent.body["message"].get("attachment") or {}
        return [b["payload"] for b in attachment.get("payload", {}).get("buttons", []) if b["type"] == "oa.query.hide"]

    def pressing(self, user, sent_payload):
        return zalo_text(user, sent_payload)  # an oa.query.hide button sends its payload as the user's text


class TelegramChannel(Channel):
    name, text_limit, refusal_status, slow_down = "telegram", 4096, 401, (429, 500)
    inbound_limit = 4096

    def new_user(self):
        return new_user()[:10]  # a chat id is a 64-bit integer; keep it well inside

    def message(self, user, text):
        return telegram_text(user, text)

    def post(self, delivery):
        return self.webhooks.telegram(delivery)

    def forgeries(self, delivery):
        return [self.webhooks.telegram(delivery, secret="guessed"), self.webhooks.telegram(delivery, secret=None)]

    def sent_payloads(self, sent):
        rows = (sent.body.get("reply_markup") or {}).get("inline_keyboard", [])
        return [button["callback_data"] for row in rows for button in row]

    def button_payloads(self, sent):
        return [unsealed(data) for data in self.sent_payloads(sent) if not data.startswith("k:")]

    def pressing(self, user, sent_payload):
        return telegram_button_press(user, sent_payload)


class MessengerChannel(Channel):
    name, text_limit, refusal_status, slow_down = "messenger", 2000, 403, (429, 613)

    def message(self, user, text):
        return messenger_text(user, text)

    def post(self, delivery):
        return self.webhooks.messenger(delivery)

    def forgeries(self, delivery):
        return [self.webhooks.messenger(delivery, secret="forged"), self.webhooks.messenger(delivery, secret=None)]

    def sent_payloads(self, sent):
        return [reply["payload"] for reply in sent.body["message"].get("quick_replies", [])]

    def pressing(self, user, sent_payload):
        return messenger_text(user, "…", quick_reply=sent_payload)


CHANNELS = {channel.name: channel for channel in (ZaloChannel, TelegramChannel, MessengerChannel)}
