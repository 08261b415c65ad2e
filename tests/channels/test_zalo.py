"""Zalo OA webhooks into the real assistant; replies at the fake Zalo API."""
import json
import sqlite3
import stat

from webhooks import bot_says, new_user, zalo_staff_echo, zalo_text


def test_signed_vietnamese_message_gets_a_reply_with_query_buttons(platforms, webhooks):
    user = new_user()
    assert webhooks.zalo(zalo_text(user, "xin chào")).status_code == 200
    sent = platforms.zalo.wait_for(user)
    assert sent and "Chào bạn" in sent[0].text
    buttons = sent[-1].body["message"]["attachment"]["payload"]["buttons"]
    assert 1 <= len(buttons) <= 5
    assert {"title": "🎯 Làm quiz", "type": "oa.query.hide", "payload": "/start_quiz"} in buttons








def test_a_phone_button_opens_the_phone(platforms, webhooks):
    user = new_user()
    webhooks.zalo(zalo_text(user, "xin chào"))
    platforms.zalo.wait_for(user)
    bot_says(webhooks.assistant, f"zalo:{user}", "Gọi ngay", buttons=[{"title": "📞 Gọi 111", "payload": "tel:111"}])
    sent = platforms.zalo.wait_for(user, count=2)
    assert sent[-1].body["message"]["attachment"]["payload"]["buttons"] == [
        {"title": "📞 Gọi 111", "type": "oa.open.phone", "payload": {"phone_code": "111"}}
    ]






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
    assert {"type": "oa.query.hide", "payload": "xoá hết"}.items() <= asked[-1].body["message"]["attachment"]["payload"]["buttons"][0].items()
    webhooks.zalo(zalo_text(user, "xoá hết"))
    assert "Đã xoá" in platforms.zalo.wait_for(user, count=len(asked) + 1)[-1].text
    assert echo_rows(channel_assistant, echo["message"]["msg_id"]) == []


def echo_rows(channel_assistant, msg_id):
    with sqlite3.connect(channel_assistant.data / "app.db") as db:
        return db.execute("select * from channel_echoes where msg_id = ?", (msg_id,)).fetchall()
