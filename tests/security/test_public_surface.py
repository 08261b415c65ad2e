"""Each attack of the security issue, tried against the real processes, and refused.

The assistant is the one the integration tests share (tests/conftest.py):
Rasa, the action server and the bot service, started as `make run` does.
"""

import os
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest
from support.chat import SECRET, browser, new_sender, say, texts
from support.image_server import CountingServer

from bot.handoff.delivery import rasa_api_headers
from contract.identity import user_key_for


def rasa(assistant):
    return f"http://127.0.0.1:{assistant.ports.rasa}"


def tracker_events(assistant, conversation_id):
    response = httpx.get(
        f"{rasa(assistant)}/conversations/{conversation_id}/tracker",
        headers=rasa_api_headers(assistant.secrets()["RASA_JWT_SECRET"]),
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["events"]


def user_texts(assistant, conversation_id):
    return [e.get("text") for e in tracker_events(assistant, conversation_id) if e["event"] == "user"]


def rows(assistant, sql, *args):
    with sqlite3.connect(assistant.data / "app.db") as db:
        return db.execute(sql, args).fetchall()


def test_a_stranger_cannot_write_as_another_user_through_rasa(assistant):
    victim = "telegram:123456789"
    forged = {"sender": victim, "message": "kết thúc"}
    assert httpx.post(f"{rasa(assistant)}/webhooks/rest/webhook", json=forged).status_code == 401
    wrong = httpx.post(f"{rasa(assistant)}/webhooks/rest/webhook", json=forged, headers={"X-Webchat-Secret": "guess"})
    assert wrong.status_code == 401
    # Even the bot service's own secret takes web chat ids only.
    own = httpx.post(
        f"{rasa(assistant)}/webhooks/rest/webhook",
        json=forged,
        headers={"X-Webchat-Secret": assistant.secrets()["WEBCHAT_CHANNEL_SECRET"]},
    )
    assert own.status_code == 400
    assert user_texts(assistant, victim) == []


def test_the_web_chat_never_lets_the_browser_choose_who_it_is(assistant):
    user = browser(assistant)
    chosen = user.post("/api/chat", json={"sender": "telegram:123456789", "message": "xin chào"})
    assert chosen.status_code == 200
    assert user_texts(assistant, "telegram:123456789") == []
    assert "xin chào" in user_texts(assistant, user.cookies["webchat_id"])
    page = httpx.get(f"http://127.0.0.1:{assistant.ports.bot}/")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_rasa_api_refuses_the_old_query_token_and_unsigned_calls(assistant):
    url = f"{rasa(assistant)}/conversations/{new_sender()}/tracker"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, params={"token": assistant.secrets()["RASA_JWT_SECRET"]}).status_code == 401
    assert httpx.get(url, headers=rasa_api_headers("not-the-secret")).status_code == 401


def test_typed_internal_intents_and_unpressed_payloads_stay_words(assistant):
    user = browser(assistant)
    sender = user.cookies["webchat_id"]
    user.post("/api/chat", json={"message": "mình muốn nói chuyện với cán bộ"})
    user.post("/api/chat", json={"message": "/affirm", "button": True})  # the consent button, as delivered
    assert rows(assistant, "select count(*) from cases where user_key = ?", user_key_for(sender, SECRET)) == [(1,)]
    for typed in ("/EXTERNAL_handoff_update", "/delete_my_data", "/affirm"):
        user.post("/api/chat", json={"message": typed})
    user.post("/api/chat", json={"message": "/delete_my_data", "button": True})  # never delivered as a button
    # The words are classified like any words ("delete my data" may well be asked), but
    # nothing was pressed: no external intent, no deletion, the case and its transcript stay.
    events = tracker_events(assistant, sender)
    assert "EXTERNAL_handoff_update" not in [e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"]
    assert "action_delete_my_data" not in [e.get("name") for e in events if e["event"] == "action"]
    assert rows(assistant, "select count(*) from cases where user_key = ?", user_key_for(sender, SECRET)) == [(1,)]
    # And Rasa's channel itself refuses an internal intent even as a payload.
    with pytest.raises(httpx.HTTPStatusError):
        httpx.post(
            f"{rasa(assistant)}/webhooks/rest/webhook",
            headers={"X-Webchat-Secret": assistant.secrets()["WEBCHAT_CHANNEL_SECRET"]},
            json={"sender": new_sender(), "message": "/EXTERNAL_handoff_update", "payload": True},
        ).raise_for_status()


def listening_addresses(port):
    """The local addresses a TCP port listens on, from the kernel's own table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":
                found.add(address)
    return found


def test_the_action_server_listens_on_loopback_and_runs_nothing_for_a_stranger(assistant):
    assert listening_addresses(assistant.ports.actions) == {"0100007F"}  # 127.0.0.1 only
    sender = new_sender()
    call = {
        "next_action": "action_delete_my_data",
        "sender_id": sender,
        "tracker": {"sender_id": sender, "events": []},
        "domain": {},
        "version": "3.6.2",
    }
    url = f"http://127.0.0.1:{assistant.ports.actions}/webhook"
    for headers in ({}, {"X-Action-Token": "guess"}):
        refused = httpx.post(url, json=call, headers=headers)
        assert refused.status_code == 401 and sender not in refused.text
    assert httpx.get(f"http://127.0.0.1:{assistant.ports.actions}/actions").status_code == 401


def test_an_image_reference_to_an_internal_address_is_never_fetched(assistant):
    internal = CountingServer()
    try:
        replies = httpx.post(
            f"{rasa(assistant)}/webhooks/rest/webhook",
            timeout=60,
            headers={"X-Webchat-Secret": assistant.secrets()["WEBCHAT_CHANNEL_SECRET"]},
            json={
                "sender": new_sender(),
                "message": "/check_job_offer",
                "payload": True,
                "metadata": {"image_url": f"{internal.url}/internal"},
            },
        ).json()
        assert "không đọc được chữ" in texts(replies)
        assert internal.requests == []
    finally:
        internal.close()


def reply_time(assistant, message):
    started = time.monotonic()
    say(assistant, new_sender(), message)
    return time.monotonic() - started


ATTACKS = {
    "digits": "1" * 4000,
    "dotted": "1." * 2000,
    "spaced": "1 " * 2400,
    "cam": "cam " * 1200,
    "emoji": "💰" * 2400,
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_pathological_message_does_not_stall_another_user(assistant, attack):
    # Before the caps such a message held Rasa for 9 to 32 s. Measured against the same
    # greeting without an attack, so a loaded machine's slower turns do not count as a stall.
    unhindered = reply_time(assistant, "chào bạn")
    results = {}
    attacker = threading.Thread(target=lambda: results.setdefault("replies", say(assistant, new_sender(), attack)))
    attacker.start()
    time.sleep(0.05)
    other_user = reply_time(assistant, "chào bạn")
    attacker.join(timeout=60)
    assert results.get("replies") is not None  # the attacker got an answer too
    assert other_user < unhindered + 1.0, f"another user waited {other_user:.2f}s (unhindered {unhindered:.2f}s)"


def test_messages_past_the_entrance_limit_are_refused_with_a_clear_answer(assistant):
    user = browser(assistant)
    refused = user.post("/api/chat", json={"message": "1" * 8000})
    assert refused.status_code == 413 and "5.000" in refused.json()["text"]
    channel = httpx.post(
        f"{rasa(assistant)}/webhooks/rest/webhook",
        headers={"X-Webchat-Secret": assistant.secrets()["WEBCHAT_CHANNEL_SECRET"]},
        json={"sender": new_sender(), "message": "1" * 8000},
    )
    assert channel.status_code == 400


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def bot_service_pid(assistant):
    return next(p.popen.pid for p in assistant.processes if p.name == "bot service")


def test_huge_bodies_are_refused_and_memory_stays_flat(assistant):
    base = f"http://127.0.0.1:{assistant.ports.bot}"
    before = rss_kib(bot_service_pid(assistant))
    twenty_mb = b"{" + b" " * (20 * 1024 * 1024) + b"}"
    assert httpx.post(f"{base}/nlg", content=twenty_mb, headers={"Content-Type": "application/json"}).status_code == 413

    def chunked():
        for _ in range(200):  # 50 MB in 256 kB chunks, with no Content-Length
            yield b"\x89PNG" + b"x" * (256 * 1024 - 4)

    user = browser(assistant)
    try:
        upload = user.post("/api/chat-image", content=chunked(), headers={"Content-Type": "image/png"})
        status = upload.status_code
    except httpx.HTTPError:  # the server may close the connection once it has refused
        status = 413
    assert status == 413
    growth_mib = (rss_kib(bot_service_pid(assistant)) - before) / 1024
    assert growth_mib < 15, f"the bot service grew by {growth_mib:.0f} MiB"


def test_internal_routes_of_the_bot_service_answer_only_their_callers(assistant):
    base = f"http://127.0.0.1:{assistant.ports.bot}"
    assert httpx.post(f"{base}/nlg", json={"response": "utter_greet"}).status_code == 401
    assert httpx.get(f"{base}/uploads/anything").status_code == 401


def test_a_flood_of_danger_cases_from_one_sender_leaves_the_inbox_usable(assistant):
    sender = new_sender()
    for _ in range(8):
        say(assistant, sender, "cứu em với, em bị giữ ở Campuchia")
        say(assistant, sender, "/affirm")
        say(assistant, sender, "kết thúc")
    key = user_key_for(sender, SECRET)
    assert rows(assistant, "select count(*) from cases where user_key = ?", key) == [(3,)]
    announced = rows(assistant, "select count(*) from case_notifications where user_key = ?", key)[0][0]
    assert announced <= 3


def test_a_browser_sending_too_fast_is_slowed_with_a_clear_answer(assistant):
    user = browser(assistant)
    answers = [user.post("/api/chat", json={"message": f"tin {i}"}).status_code for i in range(25)]
    assert answers[:20] == [200] * 20 and 429 in answers[20:]
    slowed = user.post("/api/chat", json={"message": "cứu em"})
    assert slowed.status_code == 429 and "111" in slowed.json()["text"]
