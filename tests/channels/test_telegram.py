"""Telegram updates into the real assistant; Bot API calls at the fake."""

import httpx
from support.fakes import PHOTO_BYTES
from support.webhooks import (
    RASA_JWT_SECRET,
    bot_says,
    latest_user_text,
    new_user,
    telegram_button_press,
    telegram_text,
    unsealed,
)

from bot.handoff.delivery import rasa_api_headers


def test_signed_vietnamese_message_gets_a_reply_with_an_inline_keyboard(platforms, webhooks):
    chat = new_user()[:10]
    assert webhooks.telegram(telegram_text(chat, "xin chào")).status_code == 200
    sent = platforms.telegram.wait_for(chat)
    assert sent and "Chào bạn" in sent[0].text
    keyboard = sent[-1].body["reply_markup"]["inline_keyboard"]
    assert ("🎯 Làm quiz", "/start_quiz") in [(row[0]["text"], unsealed(row[0]["callback_data"])) for row in keyboard]


def test_button_press_is_answered_and_its_long_payload_reaches_rasa(platforms, webhooks):
    chat = new_user()[:10]
    webhooks.telegram(telegram_text(chat, "xin chào"))
    before = len(platforms.telegram.wait_for(chat))
    long_payload = '/start_quiz{"quiz_id": "spot_fake_offer", "note": "' + "x" * 60 + '"}'
    bot_says(webhooks.assistant, f"telegram:{chat}", "Chọn nhé", buttons=[{"title": "Quiz", "payload": long_payload}])
    sent = platforms.telegram.wait_for(chat, count=before + 1)
    data = sent[-1].body["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64 and data != long_payload

    press = telegram_button_press(chat, data)
    webhooks.telegram(press)
    platforms.telegram.wait_for(chat, count=before + 2)
    assert press["callback_query"]["id"] in platforms.telegram.answered_callbacks
    assert latest_user_text(webhooks.assistant, f"telegram:{chat}") == long_payload


def test_phone_buttons_become_numbers_in_the_text(platforms, webhooks):
    chat = new_user()[:10]
    webhooks.telegram(telegram_text(chat, "xin chào"))
    before = len(platforms.telegram.wait_for(chat))
    bot_says(
        webhooks.assistant, f"telegram:{chat}", "Gọi ngay", buttons=[{"title": "📞 Gọi 111", "payload": "tel:111"}]
    )
    sent = platforms.telegram.wait_for(chat, count=before + 1)[-1]
    assert "📞 Gọi 111: 111" in sent.text and not sent.body.get("reply_markup")


def test_photo_reaches_the_checker_without_the_bot_token(platforms, webhooks):
    chat = new_user()[:10]
    update = telegram_text(chat, "")
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": "PHOTO1", "file_unique_id": "u1", "width": 90, "height": 90}]
    webhooks.telegram(update)
    platforms.telegram.wait_for(chat)
    tracker = httpx.get(
        f"{webhooks.assistant.rasa_url}/conversations/telegram:{chat}/tracker",
        headers=rasa_api_headers(RASA_JWT_SECRET),
    ).json()
    url = tracker["latest_message"]["metadata"]["image_url"]
    assert "TEST-token" not in str(tracker)
    assert httpx.get(url).content == PHOTO_BYTES
    assert httpx.get(url.replace("signature=", "signature=0")).status_code == 404


def test_a_sticker_gets_the_unsupported_message_reply(platforms, webhooks):
    chat = new_user()[:10]
    update = telegram_text(chat, "")
    del update["message"]["text"]
    update["message"]["sticker"] = {
        "file_id": "S1",
        "file_unique_id": "s1",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    webhooks.telegram(update)
    assert platforms.telegram.wait_for(chat)
    assert latest_user_text(webhooks.assistant, f"telegram:{chat}") == "/unsupported_message"


def test_set_webhook_registers_the_secret_and_update_kinds(platforms):
    import pytest
    from support.fakes import TELEGRAM_TOKEN

    from bot.telegram_setup import TelegramSetupError, set_webhook

    base = f"{platforms.url}/telegram"
    assert set_webhook("https://assistant.example.org/webhooks/telegram/webhook", TELEGRAM_TOKEN, "s3cret", base)["ok"]
    registered = platforms.telegram.webhooks[-1]
    assert registered["secret_token"] == "s3cret" and registered["allowed_updates"] == ["message", "callback_query"]
    with pytest.raises(TelegramSetupError, match="Unauthorized"):
        set_webhook("https://assistant.example.org/webhooks/telegram/webhook", "999:wrong", "s3cret", base)


def test_a_button_press_is_answered_at_once_while_the_users_last_turn_is_still_sending(platforms, webhooks):
    """Telegram refuses a late answerCallbackQuery (the fake after 5 s); the turn before is slowed by
    rate limits (four 429s, about 8 s of waiting), and the press must not wait behind it."""
    chat = new_user()[:10]
    webhooks.telegram(telegram_text(chat, "xin chào"))
    greeting = platforms.telegram.wait_for(chat)
    platforms.telegram.fail_next(429, 429, 429, 429)
    webhooks.telegram(telegram_text(chat, "dấu hiệu lừa đảo là gì"))
    press = telegram_button_press(chat, greeting[-1].body["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    webhooks.telegram(press)
    platforms.telegram.wait_for(chat, count=len(greeting) + 2, settle=3)
    assert press["callback_query"]["id"] in platforms.telegram.answered_callbacks


def test_start_greets_whoever_opens_the_bot(platforms, webhooks):
    chat = new_user()[:10]
    webhooks.telegram(telegram_text(chat, "/start"))
    assert "Chào bạn" in platforms.telegram.wait_for(chat)[0].text
    assert latest_user_text(webhooks.assistant, f"telegram:{chat}") == "/platform_follow"


def test_set_webhook_refuses_a_secret_telegram_would_refuse(platforms):
    import pytest
    from support.fakes import TELEGRAM_TOKEN

    from bot.telegram_setup import TelegramSetupError, set_webhook

    calls = len(platforms.telegram.webhooks)
    with pytest.raises(TelegramSetupError, match="A-Z a-z 0-9"):
        set_webhook(
            "https://assistant.example.org/webhooks/telegram/webhook",
            TELEGRAM_TOKEN,
            "s3cret!with spaces",
            f"{platforms.url}/telegram",
        )
    assert len(platforms.telegram.webhooks) == calls
