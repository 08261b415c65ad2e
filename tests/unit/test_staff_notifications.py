"""Announcing new cases to a Telegram staff group, against a local server that speaks the Bot API."""

import asyncio
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bot.handoff import cases, notify
from bot.handoff.worker_queries import open_case_of
from bot.settings import Settings
from bot.store import CaseNotification, Database, utcnow

TOKEN = "123456:staff-bot-token"
STAFF_GROUP = "-100200300"


class FakeTelegram:
    """sendMessage as Telegram answers it: the token in the path, JSON in and out, 429 with retry_after."""

    def __init__(self) -> None:
        self.sent, self.rate_limit_next = [], 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != f"/bot{TOKEN}/sendMessage":
                    return self.answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                if fake.rate_limit_next:
                    fake.rate_limit_next -= 1
                    return self.answer(
                        429,
                        {
                            "ok": False,
                            "error_code": 429,
                            "description": "Too Many Requests: retry after 30",
                            "parameters": {"retry_after": 30},
                        },
                    )
                if str(body.get("chat_id")) != STAFF_GROUP or not body.get("text") or len(body["text"]) > 4096:
                    return self.answer(400, {"ok": False, "error_code": 400, "description": "Bad Request"})
                fake.sent.append(body)
                self.answer(200, {"ok": True, "result": {"message_id": len(fake.sent)}})

            def answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def telegram():
    fake = FakeTelegram()
    yield fake
    fake.server.shutdown()


def settings_for(tmp_path, telegram, token=TOKEN):
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        content_dir=tmp_path,
        rasa_url="",
        bot_service_url="http://bot",
        secret_key="s",
        telegram_bot_token=token,
        telegram_api_base=telegram.base,
        staff_telegram_chat_id=STAFF_GROUP,
        console_url="https://console.example/staff",
    )


def send_due(db, settings, now):
    async def run():
        async with httpx.AsyncClient(timeout=5) as client:
            return await notify.send_due(
                db, settings, client, lambda notice: f"Yêu cầu #{notice['case_number']}: {notice['link']}", now
            )

    return asyncio.run(run())


def notification(db, case_id):
    with db.session() as session:
        return session.query(CaseNotification).filter_by(case_id=case_id).one()


def test_new_case_is_announced_in_the_staff_group_without_user_text(tmp_path, telegram):
    settings = settings_for(tmp_path, telegram)
    db = Database(settings.database_url)
    case = cases.open_case(
        db, "k" * 32, "platform-user-9", "zalo", "danger", "em bị đánh, cứu em", settings.notify_targets
    )
    assert send_due(db, settings, utcnow()) == 1
    [message] = telegram.sent
    assert message["text"] == f"Yêu cầu #{case.id}: https://console.example/staff/cases/{case.id}"
    assert notification(db, case.id).sent_at is not None
    assert send_due(db, settings, utcnow()) == 0  # announced once


def test_rate_limited_announcement_waits_as_long_as_telegram_asks_then_goes(tmp_path, telegram):
    settings = settings_for(tmp_path, telegram)
    db = Database(settings.database_url)
    telegram.rate_limit_next = 1
    case = cases.open_case(db, "k" * 32, "u", "telegram", "request", "/affirm", settings.notify_targets)
    now = utcnow()
    assert send_due(db, settings, now) == 0
    waiting = notification(db, case.id)
    assert waiting.attempts == 1 and "429" in waiting.last_error
    assert send_due(db, settings, now + timedelta(seconds=10)) == 0  # backoff alone would have tried at 5 s
    assert telegram.sent == []
    assert send_due(db, settings, now + timedelta(seconds=31)) == 1
    assert len(telegram.sent) == 1


def test_wrong_bot_token_keeps_the_case_and_keeps_retrying_with_backoff(tmp_path, telegram):
    settings = settings_for(tmp_path, telegram, token="999:wrong")
    db = Database(settings.database_url)
    case = cases.open_case(db, "k" * 32, "u", "zalo", "danger", "/affirm", settings.notify_targets)
    now = utcnow()
    for attempt in range(1, 4):
        send_due(db, settings, now + timedelta(hours=attempt))
        assert notification(db, case.id).attempts == attempt
    assert open_case_of(db, "k" * 32).id == case.id
    assert notify.retry_delay(1) == timedelta(seconds=5) and notify.retry_delay(3) == timedelta(seconds=20)
    assert notify.retry_delay(30) == timedelta(minutes=15)
