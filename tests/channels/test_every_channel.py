"""The battery every platform passes: signed, forged, redelivered, rate-limited, long.

Each test runs once per platform against the real assistant; what differs
between platforms (formats, secrets, limits) is in `webhooks.Channel`.
"""
from fakes import utf16_length
from webhooks import bot_says

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
