"""The battery every platform passes: signed, forged, redelivered, rate-limited, long.

Each test runs once per platform against the real assistant; what differs
between platforms (formats, secrets, limits) is in `webhooks.Channel`.
"""

from support.fakes import utf16_length
from support.webhooks import bot_says

from bot.handoff.delivery import rasa_api_headers

LONG_ANSWER = "\n\n".join(
    f"Phần {n}. " + "Không nộp tiền đặt cọc và không đưa hộ chiếu cho người tuyển dụng. " * 40 for n in range(4)
)


def test_signed_vietnamese_message_gets_a_reply_with_buttons(channel):
    user = channel.new_user()
    assert channel.post(channel.message(user, "xin chào")).status_code == 200
    sent = channel.fake.wait_for(user)
    assert sent and "Chào bạn" in sent[0].text
    assert "/start_quiz" in channel.button_payloads(sent[-1])


def test_forged_or_unsigned_webhook_is_refused_and_nothing_is_sent(channel):
    user = channel.new_user()
    refusals = channel.forgeries(channel.message(user, "xin chào"))
    assert [r.status_code for r in refusals] == [channel.refusal_status] * 2
    assert channel.fake.wait_for(user, timeout=4) == []


def test_malformed_and_oversized_webhooks_are_refused(channel):
    path = f"/{channel.name}/webhook"
    assert channel.webhooks.client.post(path, content=b"{not json").status_code == 400
    assert channel.webhooks.client.post(path, content=b"x" * (1024 * 1024 + 1)).status_code == 413


def test_the_same_delivery_twice_gets_one_reply(channel):
    user = channel.new_user()
    delivery = channel.message(user, "cảm ơn bạn")
    assert channel.post(delivery).status_code == 200
    assert channel.post(delivery).status_code == 200
    assert len(channel.fake.wait_for(user, settle=3)) == 1


def test_a_long_answer_sent_while_rate_limited_arrives_split_once_and_in_order(channel):
    user = channel.new_user()
    channel.post(channel.message(user, "xin chào"))
    before = len(channel.fake.wait_for(user))
    channel.fake.fail_next(*channel.slow_down)
    bot_says(channel.webhooks.assistant, channel.conversation(user), LONG_ANSWER)
    parts = channel.fake.wait_for(user, count=before + 2, settle=3)[before:]
    assert channel.fake.failures == []  # every failure was met, and retried
    assert len(parts) >= 2 and all(utf16_length(p.text) <= channel.text_limit for p in parts)
    # Every word once, in order: the part retried did not overtake the next one.
    assert " ".join(p.text for p in parts).split() == LONG_ANSWER.split()


# --- what a stranger could send (issue 10) ---------------------------------------------


def test_typed_slash_commands_are_words_not_intents(channel):
    """Only a button the connector sealed may be an "/intent": typed, "/EXTERNAL_handoff_update" is not the
    bot service's event, and "/delete_my_data" then "/affirm" erases nothing."""
    user = channel.new_user()
    conversation = channel.conversation(user)
    channel.post(channel.message(user, "/EXTERNAL_handoff_update"))
    channel.fake.wait_for(user)
    heard = latest_message(channel.webhooks.assistant, conversation)
    assert heard["text"] == "EXTERNAL_handoff_update" and heard["intent"]["name"] != "EXTERNAL_handoff_update"

    before = len(channel.fake.wait_for(user))
    channel.post(channel.message(user, "/delete_my_data"))
    asked = channel.fake.wait_for(user, count=before + 1)
    channel.post(channel.message(user, "/affirm"))
    answers = channel.fake.wait_for(user, count=len(asked) + 1)
    assert latest_message(channel.webhooks.assistant, conversation)["intent"]["name"] != "affirm"
    assert not any("Đã xoá" in sent.text for sent in answers)
    assert last_message_rows(channel.webhooks.assistant, conversation)  # the user's rows are all there


def test_a_message_longer_than_the_platform_allows_is_cut_before_rasa(channel):
    user = channel.new_user()
    channel.post(
        channel.message(user, "a" * (channel.inbound_limit + 3000))
    )  # letters: a run of digits is issue 10's ReDoS
    channel.fake.wait_for(user)
    assert len(latest_message(channel.webhooks.assistant, channel.conversation(user))["text"]) == channel.inbound_limit


def test_a_deeply_nested_body_is_refused_not_crashed_on(channel):
    nested = b"[" * 50_000 + b"]" * 50_000
    assert channel.webhooks.client.post(f"/{channel.name}/webhook", content=nested).status_code == 400


def latest_message(assistant, conversation_id):
    """The last user event as Rasa parsed it (the tracker's `latest_message` is emptied by a fallback)."""
    import httpx
    from support.webhooks import RASA_JWT_SECRET

    tracker = httpx.get(
        f"{assistant.rasa_url}/conversations/{conversation_id}/tracker",
        headers=rasa_api_headers(RASA_JWT_SECRET),
        timeout=30,
    )
    user_events = [event for event in tracker.json()["events"] if event["event"] == "user"]
    return {"text": user_events[-1]["text"], "intent": user_events[-1]["parse_data"]["intent"]}


def last_message_rows(assistant, conversation_id):
    """The connectors' row of when the user last wrote: erasing the user would remove it with every other."""
    import sqlite3

    from support.webhooks import CHANNEL_APP_SECRET

    from contract.identity import user_key_for

    with sqlite3.connect(assistant.data / "app.db") as db:
        return db.execute(
            "select * from channel_last_message where user_key = ?",
            (user_key_for(conversation_id, CHANNEL_APP_SECRET),),
        ).fetchall()
