"""A hand-off that starts on Zalo, Telegram or Messenger: staff replies go back where the user wrote from."""

import sqlite3

import pytest
from support.chat import add_staff, staff_client, wait_for
from support.webhooks import CHANNEL_APP_SECRET, CHANNELS, zalo_staff_echo

from contract.identity import user_key_for

DANGER = "cứu em với, em bị giữ ở campuchia không về được"


@pytest.fixture(scope="module")
def hotline(channel_assistant):
    assert add_staff(channel_assistant, "mai").returncode == 0
    return staff_client(channel_assistant, "mai")


def open_case(channel, user):
    """Danger, the contacts (with call buttons) and the offer, then yes: the case number."""
    refusals = len(channel.fake.refused)
    channel.post(channel.message(user, DANGER))
    offer = channel.fake.wait_for(user)
    assert channel.fake.refused[refusals:] == []  # the platform took every message, call buttons included
    assert "+84 981 84 84 84" in offer[0].text
    assert "/affirm" in channel.button_payloads(offer[-1])
    channel.press(user, offer[-1], "/affirm")
    opened = channel.fake.wait_for(user, count=len(offer) + 1)
    key = user_key_for(channel.conversation(user), CHANNEL_APP_SECRET)
    with sqlite3.connect(channel.webhooks.assistant.data / "app.db") as db:
        (number,) = db.execute("select id from cases where user_key = ?", (key,)).fetchone()
    assert any(f"#{number}" in sent.text for sent in opened)
    return number, len(opened)


def test_staff_reply_reaches_the_user_on_the_platform_they_wrote_from(channel, hotline):
    user = channel.new_user()
    number, before = open_case(channel, user)
    hotline.post(
        f"/staff/cases/{number}/reply",
        data={"csrf": hotline.csrf, "text": "Chị là cán bộ đường dây nóng. Em đang ở đâu?"},
    )
    sent = channel.fake.wait_for(user, count=before + 1)[before:]
    assert ["Chị là cán bộ đường dây nóng. Em đang ở đâu?" in s.text for s in sent] == [True]

    channel.post(channel.message(user, "em ở tầng 3"))
    transcript = wait_for(
        lambda: [
            m
            for m in hotline.get(f"/staff/api/cases/{number}?after=0").json()["messages"]
            if m["text"] == "em ở tầng 3"
        ]
    )
    assert transcript[0]["author"] == "user"
    assert hotline.get(f"/staff/api/cases/{number}?after=0").json()["undelivered"] == []
    assert_not_logged(channel.webhooks.assistant, user, "em ở tầng 3")


def test_a_reply_zalo_refuses_is_flagged_to_staff(platforms, webhooks, hotline):
    zalo = CHANNELS["zalo"](webhooks, platforms.zalo)
    user = zalo.new_user()
    number, _ = open_case(zalo, user)
    platforms.zalo.fail_next(-230)  # the user has not written for 7 days
    hotline.post(f"/staff/cases/{number}/reply", data={"csrf": hotline.csrf, "text": "Em còn ở đó không?"})
    flagged = wait_for(lambda: hotline.get(f"/staff/api/cases/{number}?after=0").json()["undelivered"])
    assert flagged[0]["staff_reply"] and flagged[0]["channel"] == "Zalo" and "-230" in flagged[0]["reason"]
    page = hotline.get(f"/staff/cases/{number}").text
    assert "chưa tới được người dùng" in page and "Em còn ở đó không?" in page


def test_staff_writing_from_zalo_admin_shows_on_the_case_without_the_text(platforms, webhooks, hotline):
    zalo = CHANNELS["zalo"](webhooks, platforms.zalo)
    user = zalo.new_user()
    number, _ = open_case(zalo, user)
    assert zalo.post(zalo_staff_echo(user, "Chị ở đội hỗ trợ, em gọi lại nhé")).status_code == 200
    written = wait_for(lambda: hotline.get(f"/staff/api/cases/{number}?after=0").json()["written_elsewhere"])
    assert [w["channel"] for w in written] == ["Zalo"]
    page = hotline.get(f"/staff/cases/{number}").text
    assert "trang quản trị của nền tảng" in page and "em gọi lại nhé" not in page


def assert_not_logged(assistant, *secrets):
    """No process's log holds the platform user id or what the user wrote."""
    for log in assistant.log_dir.glob("*.log"):
        text = log.read_text(encoding="utf-8", errors="replace")
        assert not [secret for secret in secrets if secret in text], log.name


def test_the_case_page_says_when_a_zalo_reply_can_no_longer_go_free(platforms, webhooks, hotline):
    """60 hours after the user's last message: staff are told before replying, and the reply Zalo
    refuses (-320, no Cloud Account) is flagged with that reason."""
    zalo = CHANNELS["zalo"](webhooks, platforms.zalo)
    user = zalo.new_user()
    number, _ = open_case(zalo, user)
    assert 'data-state="free"' in hotline.get(f"/staff/cases/{number}").text
    with sqlite3.connect(webhooks.assistant.data / "app.db") as db:
        db.execute(
            "update cases set last_user_message_at = datetime(last_user_message_at, '-60 hours') where id = ?",
            (number,),
        )
    platforms.zalo.age(user, 60)
    page = hotline.get(f"/staff/cases/{number}").text
    assert 'data-state="limited"' in page and "Zalo Cloud Account" in page
    hotline.post(f"/staff/cases/{number}/reply", data={"csrf": hotline.csrf, "text": "Em còn ở đó không?"})
    flagged = wait_for(lambda: hotline.get(f"/staff/api/cases/{number}?after=0").json()["undelivered"])
    assert "-320" in flagged[0]["reason"] and "Cloud Account" in flagged[0]["reason"]
