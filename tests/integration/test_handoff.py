"""The hand-off, end to end: a user in danger on the REST channel, a hotline worker in the console."""

import time
from contextlib import contextmanager

import httpx
import pytest
from support.chat import SECRET, add_staff, case_of, new_sender, rows, say, staff_client, texts, wait_for

from contract.identity import user_key_for


def updates(assistant, sender):
    """What the web chat page fetches every few seconds: staff news for this user."""
    response = httpx.get(f"http://127.0.0.1:{assistant.ports.bot}/api/chat/updates", cookies={"webchat_id": sender})
    response.raise_for_status()
    return response.json()


@contextmanager
def handoff_setting(assistant, old, new):
    """Edit content/handoff.yml of the running assistant (live within a second), and put it back."""
    path = assistant.content / "handoff.yml"
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new), encoding="utf-8")
    time.sleep(1.2)
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")
        time.sleep(1.2)


def open_danger_case(assistant, sender):
    offer = texts(say(assistant, sender, "cứu em với, em bị giữ ở campuchia không về được"))
    assert "113" in offer and "kết nối với cán bộ" in offer
    return say(assistant, sender, "/affirm")


@pytest.fixture(scope="module")
def hotline(assistant):
    assert add_staff(assistant, "lan").returncode == 0
    return staff_client(assistant, "lan")


def test_danger_hand_off_from_consent_to_close(assistant, hotline, staff_webhook):
    sender = new_sender()
    opened = open_danger_case(assistant, sender)
    number, status, reason, _ = case_of(assistant, sender)
    assert (status, reason) == ("new", "danger")
    assert f"#{number}" in texts(opened)
    assert "ở đâu" in texts(opened)  # the first optional question

    assert "an toàn" in texts(say(assistant, sender, "Sihanoukville"))
    assert "liên lạc lại" in texts(say(assistant, sender, "bỏ qua"))
    assert "Cán bộ sẽ trả lời" in texts(say(assistant, sender, "bỏ qua"))
    # While the case is open the bot does not answer: the message goes to staff.
    assert say(assistant, sender, "họ giữ hộ chiếu của em, em sợ lắm") == []
    assert case_of(assistant, sender)[3] == '{"location": "Sihanoukville"}'

    notice = wait_for(lambda: staff_webhook.for_case(number))[0]
    assert notice["reason"] == "danger" and notice["link"].endswith(f"/staff/cases/{number}")
    assert "hộ chiếu" not in str(notice) and sender not in str(notice)

    inbox = hotline.get("/staff/api/inbox").json()["cases"]
    mine = next(c for c in inbox if c["id"] == number)
    assert mine["reason"] == "danger" and mine["reference"].startswith("ND-") and mine["channel"] == "Web chat"
    page = hotline.get(f"/staff/cases/{number}").text
    assert "họ giữ hộ chiếu của em" in page and "Sihanoukville" in page
    assert sender not in page  # the console shows a pseudonymous reference, never the platform id

    assert hotline.post(f"/staff/cases/{number}/claim", data={"csrf": hotline.csrf}).status_code == 303
    hotline.post(
        f"/staff/cases/{number}/reply", data={"csrf": hotline.csrf, "text": "Chị là cán bộ 111. Em đang ở đâu?"}
    )
    delivered = wait_for(lambda: updates(assistant, sender))
    assert "Chị là cán bộ 111. Em đang ở đâu?" in texts(delivered)

    assert say(assistant, sender, "em ở tầng 3, khu B") == []
    transcript = hotline.get(f"/staff/api/cases/{number}?after=0").json()["messages"]
    assert [m["author"] for m in transcript][-2:] == ["staff", "user"]
    assert transcript[-1]["text"] == "em ở tầng 3, khu B"

    hotline.post(f"/staff/cases/{number}/close", data={"csrf": hotline.csrf, "outcome": "referred_citizen_protection"})
    assert "Cán bộ đã kết thúc" in texts(wait_for(lambda: updates(assistant, sender)))
    assert case_of(assistant, sender)[1] == "closed"
    # The hand-off is over: the assistant answers again.
    assert texts(say(assistant, sender, "xin chào"))
    assert number in [c[0] for c in rows(assistant, "select case_id from audit_log where action = 'close'")]


def test_asking_for_a_person_opens_a_request_case_the_user_can_end(assistant):
    sender = new_sender()
    assert "kết nối với cán bộ" in texts(say(assistant, sender, "cho mình nói chuyện với người thật"))
    say(assistant, sender, "/affirm")
    assert case_of(assistant, sender)[2] == "request"
    assert "Đã kết thúc" in texts(say(assistant, sender, "kết thúc"))
    assert case_of(assistant, sender)[1] == "closed"
    assert texts(say(assistant, sender, "xin chào"))


def test_no_case_without_consent(assistant):
    sender = new_sender()
    say(assistant, sender, "cuu em voi bi giu o lao")
    # From Laos 111 cannot be dialled: the decline names the citizen-protection line.
    assert "+84 981 84 84 84" in texts(say(assistant, sender, "/deny"))
    assert case_of(assistant, sender) is None


def test_unclaimed_danger_case_gets_the_24_7_numbers_and_stays_open(assistant):
    with handoff_setting(assistant, "claim_minutes: 3", "claim_minutes: 0.02"):
        sender = new_sender()
        open_danger_case(assistant, sender)
        notice = texts(wait_for(lambda: updates(assistant, sender), timeout=20))
    assert "chưa kịp nhận" in notice and "113" in notice and "111" in notice
    # Held in Cambodia: the line that works from there comes first, 111 and 113 for the family at home.
    assert notice.index("+84 981 84 84 84") < notice.index("111") and "người nhà ở Việt Nam" in notice
    assert case_of(assistant, sender)[1] == "new"


def test_outside_staffed_hours_the_user_is_told_and_given_111(assistant):
    with handoff_setting(assistant, "days: [mon, tue, wed, thu, fri, sat]", "days: []"):
        sender = new_sender()
        say(assistant, sender, "mình muốn gặp nhân viên tư vấn")
        opened = texts(say(assistant, sender, "/affirm"))
    assert "ngoài giờ" in opened and "111" in opened
    assert case_of(assistant, sender)[1] == "new"


def test_notification_target_down_keeps_the_case_and_retries(assistant, staff_webhook):
    staff_webhook.down = True
    try:
        sender = new_sender()
        opened = open_danger_case(assistant, sender)
        number = case_of(assistant, sender)[0]
        assert f"#{number}" in texts(opened)  # the user is told; the case is in the database
        wait_for(
            lambda: rows(
                assistant, "select attempts from case_notifications where case_id = ? and attempts >= 1", number
            )
        )
        assert staff_webhook.for_case(number) == []
    finally:
        staff_webhook.down = False
    wait_for(lambda: staff_webhook.for_case(number), timeout=30)
    attempts, error = rows(assistant, "select attempts, last_error from case_notifications where case_id = ?", number)[
        0
    ]
    assert attempts >= 2 and "503" in error


def test_rasa_api_refuses_calls_without_its_token(assistant):
    base = f"http://127.0.0.1:{assistant.ports.rasa}"
    assert httpx.get(f"{base}/conversations/anyone/tracker").status_code == 401
    assert httpx.get(f"{base}/conversations/anyone/tracker", params={"token": "guess"}).status_code == 401
    forged = httpx.post(f"{base}/conversations/anyone/trigger_intent", json={"name": "EXTERNAL_handoff_update"})
    assert forged.status_code == 401


def test_emergency_contacts_come_with_call_buttons(assistant):
    replies = say(assistant, new_sender(), "cứu em, em bị giữ ở campuchia")
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert "tel:+84981848484" in payloads and "tel:111" in payloads
    at_home = say(assistant, new_sender(), "cứu với có người đang đánh em ở nhà trọ")
    assert "tel:113" in [b["payload"] for r in at_home for b in r.get("buttons", [])]


def test_platform_events_come_only_from_the_connectors_and_are_never_relayed(assistant):
    """A sticker is "/unsupported_message" from a connector (tests/channels); the web chat cannot send it."""
    sender = new_sender()
    say(assistant, sender, "mình muốn nói chuyện với cán bộ")
    say(assistant, sender, "/affirm")
    with pytest.raises(httpx.HTTPStatusError):
        say(assistant, sender, "/unsupported_message")
    transcript = rows(assistant, "select text from case_messages where user_key = ?", user_key_for(sender, SECRET))
    # Staff see the consent as the button the user pressed, not Rasa's payload.
    assert [t for (t,) in transcript] == ["✅ Có, kết nối"]


def test_an_open_case_outlives_a_new_session(assistant):
    sender = new_sender()
    say(assistant, sender, "cho mình gặp nhân viên hỗ trợ")
    say(assistant, sender, "/affirm")
    for _ in range(3):
        say(assistant, sender, "bỏ qua")
    say(assistant, sender, "/session_start")  # what Rasa does itself after an hour of silence
    assert say(assistant, sender, "xin chào, còn ai ở đó không?") == []
    transcript = rows(assistant, "select text from case_messages where user_key = ?", user_key_for(sender, SECRET))
    assert transcript[-1] == ("xin chào, còn ai ở đó không?",)


def test_a_screenshot_sent_during_a_hand_off_reaches_staff_as_such(assistant):
    """Staff read that a screenshot came, not the "/check_job_offer" Rasa was given."""
    from support.chat import browser
    from support.screenshots import OFFER_LINES, screenshot

    user = browser(assistant)
    sender = user.cookies["webchat_id"]
    user.post("/api/chat", json={"message": "mình muốn nói chuyện với cán bộ"})
    user.post("/api/chat", json={"message": "/affirm", "button": True})
    assert case_of(assistant, sender) is not None
    user.post("/api/chat-image", content=screenshot(OFFER_LINES), headers={"Content-Type": "image/png"})
    transcript = [
        t for (t,) in rows(assistant, "select text from case_messages where user_key = ?", user_key_for(sender, SECRET))
    ]
    assert any(t.startswith("📷") for t in transcript), transcript
    assert not any("check_job_offer" in t for t in transcript)
