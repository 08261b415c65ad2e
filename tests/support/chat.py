"""Talking to the running assistant as a user (Rasa's REST channel) and as hotline staff (the console)."""

import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import uuid

import httpx

from contract.identity import user_key_for
from support import ROOT

SECRET = "test-secret-key"
STAFF_PASSWORD = "a long enough password"


def say(assistant, sender, message):
    """What the bot service does for a web chat message: Rasa's web chat channel, with its secret.

    A message starting with "/" is sent as a pressed button's payload, as the
    page does for the buttons it was given.
    """
    response = httpx.post(
        f"http://127.0.0.1:{assistant.ports.rasa}/webhooks/rest/webhook",
        headers={"X-Webchat-Secret": assistant.secrets()["WEBCHAT_CHANNEL_SECRET"]},
        json={"sender": sender, "message": message, "payload": message.startswith("/")},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def browser(assistant) -> httpx.Client:
    """A web chat user's browser: it opens the page, which gives it its id in a cookie.

    Each has its own address, as the reverse proxy in front of the bot service reports it.
    """
    address = f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{assistant.ports.bot}", timeout=60, headers={"X-Forwarded-For": address}
    )
    assert client.get("/").status_code == 200 and client.cookies.get("webchat_id", "").startswith("web-")
    return client


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def new_sender():
    return f"web-{uuid.uuid4().hex[:12]}"


def add_staff(assistant, name, role="hotline", password=STAFF_PASSWORD):
    """The command line an administrator uses: `python -m bot staff add NAME --role ROLE`."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "staff", "add", name, "--role", role, "--password-stdin"],
        input=password + "\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": assistant.environment()["DATABASE_URL"]},
    )


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def staff_client(assistant, name, password=STAFF_PASSWORD, home="/staff/") -> httpx.Client:
    """A logged-in console session; `.csrf` holds the token its forms carry (read from `home`)."""
    client = httpx.Client(base_url=f"http://127.0.0.1:{assistant.ports.bot}", timeout=30)
    token = csrf_of(client.get("/staff/login").text)
    response = client.post("/staff/login", data={"csrf": token, "name": name, "password": password})
    assert response.status_code == 303, response.text
    client.csrf = csrf_of(client.get(home).text)
    return client


def wait_for(condition, timeout=30.0, every=0.3):
    """Poll until `condition()` returns something true; that value, or an AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true after {timeout}s")


def rows(assistant, sql, *args):
    with sqlite3.connect(assistant.data / "app.db") as db:
        return db.execute(sql, args).fetchall()


def case_of(assistant, sender):
    found = rows(
        assistant, "select id, status, reason, answers from cases where user_key = ?", user_key_for(sender, SECRET)
    )
    return found[0] if found else None
