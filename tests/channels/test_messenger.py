"""Messenger webhooks into the real assistant; Send API calls at the fake Graph API."""

from support.webhooks import MESSENGER_VERIFY_TOKEN, bot_says, messenger_batch, messenger_text, new_user


def test_subscription_handshake(webhooks):
    ok = webhooks.client.get(
        "/messenger/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY_TOKEN, "hub.challenge": "4242"},
    )
    assert ok.status_code == 200 and ok.text == "4242"
    wrong = webhooks.client.get(
        "/messenger/webhook", params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "4242"}
    )
    assert wrong.status_code == 403


def test_signed_vietnamese_message_gets_a_reply_with_quick_replies(platforms, webhooks):
    user = new_user()
    assert webhooks.messenger(messenger_text(user, "tôi muốn làm bài trắc nghiệm")).status_code == 200
    sent = platforms.messenger.wait_for(user)
    assert sent and all(s.body["messaging_type"] == "RESPONSE" for s in sent)
    replies = [q for s in sent for q in s.body["message"].get("quick_replies", [])]
    assert replies and all(len(q["title"]) <= 20 for q in replies)


def test_every_event_of_a_batch_is_handled_once(platforms, webhooks):
    first, second = new_user(), new_user()
    batch = messenger_batch(
        messenger_text(first, "xin chào")["entry"][0]["messaging"][0],
        messenger_text(second, "xin chào")["entry"][0]["messaging"][0],
    )
    webhooks.messenger(batch)
    webhooks.messenger(batch)
    assert len(platforms.messenger.wait_for(first, settle=3)) == 1
    assert len(platforms.messenger.wait_for(second, settle=1)) == 1


def test_quick_reply_payload_is_what_rasa_hears(platforms, webhooks):
    from support.webhooks import latest_user_text, seal_of

    user = new_user()
    webhooks.messenger(messenger_text(user, "🎯 Làm quiz", quick_reply=seal_of("/start_quiz")))
    platforms.messenger.wait_for(user)
    assert latest_user_text(webhooks.assistant, f"messenger:{user}") == "/start_quiz"


def test_staff_reply_inside_the_window_goes_untagged_with_phone_buttons_in_a_template(platforms, webhooks):
    """MESSENGER_HUMAN_AGENT_TAG is off by default: Graph refuses the tag to an app without the permission."""
    user = new_user()
    webhooks.messenger(messenger_text(user, "xin chào"))
    before = len(platforms.messenger.wait_for(user))
    bot_says(
        webhooks.assistant,
        f"messenger:{user}",
        "Cán bộ: bạn gọi cho chị nhé",
        buttons=[
            {"title": "📞 Bảo hộ công dân", "payload": "tel:+84981848484"},
            {"title": "📞 Gọi 111", "payload": "tel:111"},
        ],
        custom={"message_kind": "staff_reply"},
    )
    sent = platforms.messenger.wait_for(user, count=before + 1)[before:]
    assert len(sent) == 1
    assert sent[0].body["messaging_type"] == "RESPONSE" and "tag" not in sent[0].body
    template = sent[0].body["message"]["attachment"]["payload"]
    assert template["buttons"] == [{"type": "phone_number", "title": "📞 Bảo hộ công dân", "payload": "+84981848484"}]
    assert "📞 Gọi 111: 111" in template["text"]
    assert "message_kind" not in str(sent[0].body)
