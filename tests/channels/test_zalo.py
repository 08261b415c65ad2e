"""Zalo OA webhooks into the real assistant; replies at the fake Zalo API."""

import json
import sqlite3
import stat
import time

from support.webhooks import ZaloChannel, bot_says, new_user, unsealed, zalo_staff_echo, zalo_text


def test_signed_vietnamese_message_gets_a_reply_with_query_buttons(platforms, webhooks):
    user = new_user()
    assert webhooks.zalo(zalo_text(user, "xin chào")).status_code == 200
    sent = platforms.zalo.wait_for(user)
    assert sent and "Chào bạn" in sent[0].text
    buttons = sent[-1].body["message"]["attachment"]["payload"]["buttons"]
    assert 1 <= len(buttons) <= 5
    assert ("🎯 Làm quiz", "oa.query.hide", "/start_quiz") in [
        (b["title"], b["type"], unsealed(b["payload"])) for b in buttons
    ]


def test_a_phone_button_only_for_a_number_zalo_is_known_to_take_and_every_number_in_the_text(platforms, webhooks):
    """The fake refuses a phone_code that is not digits (84… or 0…), as issue 14 found every working example;
    a refusal would fail the whole message, hotline text included."""
    user = new_user()
    webhooks.zalo(zalo_text(user, "xin chào"))
    platforms.zalo.wait_for(user)
    refusals = len(platforms.zalo.refused)
    bot_says(
        webhooks.assistant,
        f"zalo:{user}",
        "Gọi ngay",
        buttons=[
            {"title": "📞 Bảo hộ công dân", "payload": "tel:+84981848484"},
            {"title": "📞 Gọi 111", "payload": "tel:111"},
        ],
    )
    sent = platforms.zalo.wait_for(user, count=2)[-1]
    assert platforms.zalo.refused[refusals:] == []
    assert sent.body["message"]["attachment"]["payload"]["buttons"] == [
        {"title": "📞 Bảo hộ công dân", "type": "oa.open.phone", "payload": {"phone_code": "84981848484"}}
    ]
    assert "📞 Gọi 111: 111" in sent.text and "📞 Bảo hộ công dân: +84981848484" in sent.text


def test_expired_token_is_refreshed_and_the_message_delivered(platforms, webhooks, channel_assistant):
    user = new_user()
    refreshes = platforms.zalo.refreshes
    platforms.zalo.fail_next(-216)
    webhooks.zalo(zalo_text(user, "xin chào"))
    sent = platforms.zalo.wait_for(user)
    assert len(sent) == 1 and "Chào bạn" in sent[0].text
    assert platforms.zalo.refreshes == refreshes + 1
    token_file = channel_assistant.data / "zalo_tokens.json"
    stored = json.loads(token_file.read_text())
    assert stored["refresh_token"] == platforms.zalo.refresh_token != "zalo-refresh-1"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_staff_writing_from_zalo_admin_console_is_recorded_without_text(platforms, webhooks, channel_assistant):
    user = new_user()
    echo = zalo_staff_echo(user, "Chị là cán bộ đường dây nóng")
    assert webhooks.zalo(echo).status_code == 200
    assert platforms.zalo.wait_for(user, timeout=3) == []
    rows = echo_rows(channel_assistant, echo["message"]["msg_id"])
    assert len(rows) == 1
    assert user not in repr(rows) and "cán bộ" not in repr(rows)


def test_deleting_my_data_removes_the_connectors_rows_too(platforms, webhooks, channel_assistant):
    user = new_user()
    echo = zalo_staff_echo(user, "Chị gọi lại cho em nhé")
    webhooks.zalo(echo)
    webhooks.zalo(zalo_text(user, "xoá hết dữ liệu của tôi"))
    asked = platforms.zalo.wait_for(user)
    assert echo_rows(channel_assistant, echo["message"]["msg_id"])
    # Erasing has its own confirmation: its button sends the words "xoá hết", never a bare yes.
    zalo = ZaloChannel(webhooks, platforms.zalo)
    assert zalo.button_payloads(asked[-1])[0] == "xoá hết"
    zalo.press(user, asked[-1], "xoá hết")
    assert "Đã xoá" in platforms.zalo.wait_for(user, count=len(asked) + 1)[-1].text
    assert echo_rows(channel_assistant, echo["message"]["msg_id"]) == []


def echo_rows(channel_assistant, msg_id):
    with sqlite3.connect(channel_assistant.data / "app.db") as db:
        return db.execute("select * from channel_echoes where msg_id = ?", (msg_id,)).fetchall()


def test_the_unsigned_probe_zalo_sends_when_the_url_is_saved_is_answered_200_and_not_handled(platforms, webhooks):
    assert webhooks.client.post("/zalo/webhook", json={}).status_code == 200
    assert platforms.zalo.register_webhook(f"{webhooks.assistant.rasa_url}/webhooks/zalo/webhook")
    assert (
        webhooks.client.post("/zalo/webhook", json={"event_name": "user_send_text"}).status_code == 401
    )  # anything else is signed


def test_a_captured_webhook_replayed_later_is_refused(platforms, webhooks):
    user = new_user()
    captured = zalo_text(user, "xin chào")
    captured["timestamp"] = str(int((time.time() - 8 * 24 * 3600) * 1000))  # signed a week ago, forgotten since
    assert webhooks.zalo(captured).status_code == 401
    assert platforms.zalo.wait_for(user, timeout=4) == []


def test_the_domain_verification_file_is_served_from_configuration(webhooks):
    from support.webhooks import ZALO_SITE_CODE

    page = webhooks.client.get(f"/zalo/site-verification/zalo_verifier{ZALO_SITE_CODE}.html")
    assert (
        page.status_code == 200
        and f'<meta name="zalo-platform-site-verification" content="{ZALO_SITE_CODE}" />' in page.text
    )
    assert webhooks.client.get("/zalo/site-verification/zalo_verifierSOMETHINGELSE.html").status_code == 404


def test_echoes_of_the_bots_own_messages_are_not_taken_for_staff(platforms, webhooks, channel_assistant):
    """The fake echoes every send, every other one before the send's answer; only staff echoes name an admin_id."""
    user = new_user()
    webhooks.zalo(zalo_text(user, "xin chào"))
    webhooks.zalo(zalo_text(user, "dấu hiệu lừa đảo là gì"))
    sent = platforms.zalo.wait_for(user, count=2, settle=3)
    assert len(sent) >= 2 and platforms.zalo.echoes_sent >= 2
    with sqlite3.connect(channel_assistant.data / "app.db") as db:
        from support.webhooks import CHANNEL_APP_SECRET

        from contract.identity import user_key_for

        rows = db.execute(
            "select * from channel_echoes where user_key = ?", (user_key_for(f"zalo:{user}", CHANNEL_APP_SECRET),)
        ).fetchall()
    assert rows == []
