"""The connectors' shared core: splitting, signatures, dedup persistence, retries in order."""

import asyncio
import hashlib
import hmac
import time

import httpx
import pytest

from channels.core import UNSUPPORTED_MESSAGE, Reply, as_typed, log_name, same_secret, seal, unseal, with_phone_lines
from channels.sending import Sender, TryAgain, Undeliverable, check_http_status
from channels.store import ChannelStore
from channels.text import split_text
from contract.identity import forget_app_secret_key
from contract.limits import cut_to, text_length

# --- splitting ---


def test_short_text_is_one_message():
    assert split_text("  Xin chào bạn 👋  ", 2000) == ["Xin chào bạn 👋"]


def test_split_prefers_paragraphs_then_sentences_then_words():
    first, second = "Đoạn một. " * 10, "Đoạn hai. " * 10
    assert split_text(f"{first}\n\n{second}", 120) == [first.strip(), second.strip()]
    sentences = "Câu một rất dài. Câu hai cũng dài! Câu ba thì sao?"
    assert split_text(sentences, 36) == ["Câu một rất dài. Câu hai cũng dài!", "Câu ba thì sao?"]
    assert split_text("một hai ba bốn năm", 8) == ["một hai", "ba bốn", "năm"]


def test_only_a_word_longer_than_the_limit_is_cut_inside():
    assert split_text("ngắn " + "x" * 25, 10) == ["ngắn", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]


def test_emoji_count_as_two_as_the_platforms_count_them():
    assert text_length("💥") == 2
    parts = split_text("💥" * 3000, 4096)
    assert all(text_length(p) <= 4096 for p in parts) and "".join(parts) == "💥" * 3000


def test_splitting_keeps_every_word_in_order():
    text = "\n\n".join(f"Đoạn {n}. " + "Không nộp tiền cọc. Giữ hộ chiếu! " * (n * 7) for n in range(1, 9))
    parts = split_text(text, 300)
    assert all(text_length(p) <= 300 for p in parts)
    assert " ".join(parts).split() == text.split()


def test_cut_counts_utf16_units_and_never_halves_an_emoji():
    assert cut_to("🎯 Làm quiz ngay bây giờ", 10) == "🎯 Làm qui"  # the emoji counts two
    assert text_length(cut_to("💥" * 30, 19)) == 18
    assert cut_to("ngắn", 20) == "ngắn"


# --- what may reach Rasa as an intent ---


def test_only_a_sealed_payload_is_an_intent(monkeypatch):
    monkeypatch.setenv("APP_SECRET_KEY", "k1")
    sealed = seal("/affirm")
    assert unseal(sealed) == "/affirm"
    assert unseal("/affirm") is None
    assert unseal(sealed[:-1] + ("0" if sealed[-1] != "0" else "1")) is None
    assert unseal(seal("/EXTERNAL_handoff_update").replace("EXTERNAL_handoff_update", "affirm")) is None
    monkeypatch.setenv("APP_SECRET_KEY", "another key")
    forget_app_secret_key()
    assert unseal(sealed) is None  # a seal is keyed: nobody without the key can make one


def test_typed_slash_commands_reach_rasa_as_words():
    assert as_typed("/EXTERNAL_handoff_update") == "EXTERNAL_handoff_update"
    assert as_typed("  //delete_my_data ") == "delete_my_data "
    assert as_typed("/ affirm") == "affirm"
    assert as_typed("xin chào /affirm") == "xin chào /affirm"
    assert as_typed("/") == UNSUPPORTED_MESSAGE


def test_log_names_are_keyed(monkeypatch):
    monkeypatch.setenv("APP_SECRET_KEY", "k1")
    first = log_name("zalo:123")
    assert first != hashlib.sha256(b"zalo:123").hexdigest()[:12] and len(first) == 12
    monkeypatch.setenv("APP_SECRET_KEY", "k2")
    forget_app_secret_key()
    assert log_name("zalo:123") != first


# --- signatures ---


def test_secrets_compare_in_constant_time_and_never_match_empty():
    assert same_secret("abc", "abc")
    assert not same_secret("abd", "abc")
    assert not same_secret(None, "abc")
    assert not same_secret("", "")


def test_messenger_signature_is_hmac_sha256_of_the_raw_body():
    from channels.messenger import MessengerInput, MessengerSettings

    channel = MessengerInput(MessengerSettings("app-secret", "verify", "page"), store_url="sqlite://")
    body = b'{"object":"page","entry":[]}'
    good = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert channel.verify(_Request({"X-Hub-Signature-256": good}), body, {})
    assert not channel.verify(_Request({"X-Hub-Signature-256": good}), body + b" ", {})
    assert not channel.verify(_Request({}), body, {})


@pytest.mark.parametrize("key,secret", [("oa_secret", "oa"), ("app_secret", "app")])
def test_zalo_signature_is_sha256_of_app_id_body_timestamp_secret(tmp_path, key, secret):
    from channels.zalo import ZaloInput, ZaloSettings

    settings = ZaloSettings("123", "oa", "app", "token", "refresh", token_file=tmp_path / "t.json", signature_key=key)
    channel = ZaloInput(settings, store_url="sqlite://")
    now = str(int(time.time() * 1000))
    body = f'{{"timestamp":"{now}","event_name":"user_send_text"}}'.encode()
    mac = hashlib.sha256(b"123" + body + now.encode() + secret.encode()).hexdigest()
    payload = {"timestamp": now}
    assert channel.verify(_Request({"X-ZEvent-Signature": f"mac={mac}"}), body, payload)
    assert not channel.verify(_Request({"X-ZEvent-Signature": f"mac={mac}"}), body, {"timestamp": str(int(now) + 1)})
    assert not channel.verify(_Request({"X-ZEvent-Signature": "mac=" + "0" * 64}), body, payload)


def test_a_captured_zalo_webhook_signed_long_ago_is_refused(tmp_path):
    """The 7-day delivery memory forgets a message id; the signed timestamp does not let it be replayed after."""
    from channels.zalo import ZaloInput, ZaloSettings, fresh

    channel = ZaloInput(
        ZaloSettings("123", "oa", "app", "token", "refresh", token_file=tmp_path / "t.json"), store_url="sqlite://"
    )
    old = str(int((time.time() - 8 * 24 * 3600) * 1000))
    body = f'{{"timestamp":"{old}"}}'.encode()
    mac = hashlib.sha256(b"123" + body + old.encode() + b"oa").hexdigest()
    assert not channel.verify(_Request({"X-ZEvent-Signature": f"mac={mac}"}), body, {"timestamp": old})
    now = time.time()
    assert fresh(str(int((now - 50 * 60) * 1000)), now)  # Zalo's last retry, an hour on, still taken
    assert not fresh(str(int((now - 2 * 3600) * 1000)), now)
    assert not fresh(str(int((now + 3600) * 1000)), now)  # from the future
    assert not fresh("not a number", now)


class _Request:
    def __init__(self, headers):
        self.headers = headers


# --- replies ---


def test_staff_reply_is_marked_and_its_custom_part_never_shown():
    reply = Reply.from_rasa({"text": "Chào em", "custom": {"message_kind": "staff_reply"}})
    assert reply.staff_reply and reply.text == "Chào em"
    assert not Reply.from_rasa({"text": "Chào em"}).staff_reply


def test_phone_buttons_are_told_from_answer_buttons():
    reply = Reply.from_rasa(
        {"text": "t", "buttons": [{"title": "📞 Gọi 111", "payload": "tel:111"}, {"title": "Có", "payload": "/affirm"}]}
    )
    assert [b.phone for b in reply.phone_buttons] == ["111"]
    assert [b.payload for b in reply.answer_buttons] == ["/affirm"]
    assert with_phone_lines("Gọi ngay", reply.phone_buttons) == "Gọi ngay\n\n📞 Gọi 111: 111"


# --- the durable inbox ---


def test_a_delivery_is_remembered_by_a_new_store_on_the_same_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert ChannelStore(url).enqueue("zalo", "msg-1", "user-a", "{}")
    restarted = ChannelStore(url)
    assert not restarted.enqueue("zalo", "msg-1", "user-a", "{}")
    assert restarted.enqueue("telegram", "msg-1", "user-a", "{}")  # ids are per platform


def test_a_done_event_is_still_a_redelivery_but_its_text_is_gone(tmp_path):
    from sqlalchemy import select

    from channels.store import inbox

    store = ChannelStore(f"sqlite:///{tmp_path / 'app.db'}")
    store.enqueue("zalo", "msg-1", "user-a", '{"text": "em bi giu"}')
    [claimed] = store.claim("zalo", "w1", 30, 10)
    store.reply_attempted(claimed["id"], 0, "user-a")
    store.reply_attempted(claimed["id"], 1, "user-a", sent=[0])
    store.done(claimed["id"])
    assert not store.enqueue("zalo", "msg-1", "user-a", "{}")
    with store.engine.connect() as connection:
        assert connection.execute(select(inbox.c.event)).scalars().all() == [None]
    assert store.reply_records(claimed["id"]) == {}


def test_one_user_at_a_time_in_order_and_a_dead_worker_s_lease_runs_out(tmp_path):
    from datetime import timedelta

    from sqlalchemy import update

    from channels.store import inbox

    store = ChannelStore(f"sqlite:///{tmp_path / 'app.db'}")
    for delivery, user in (("1", "a"), ("2", "a"), ("3", "b")):
        store.enqueue("zalo", delivery, user, delivery)
    first = store.claim("zalo", "w1", 30, 10)
    assert [row["event"] for row in first] == ["1", "3"]  # a's second waits for its first
    assert store.claim("zalo", "w2", 30, 10) == []  # leased by w1
    with store.engine.begin() as connection:  # w1 died: its leases run out
        connection.execute(update(inbox).values(leased_until=inbox.c.leased_until - timedelta(seconds=60)))
    again = store.claim("zalo", "w2", 30, 10)
    assert [(row["event"], row["attempts"]) for row in again] == [("1", 2), ("3", 2)]
    store.done(again[0]["id"])
    assert [row["event"] for row in store.claim("zalo", "w2", 30, 10)] == ["2"]


def test_forgotten_after_the_expiry(tmp_path):
    from datetime import timedelta

    from sqlalchemy import update

    from channels.store import inbox

    store = ChannelStore(f"sqlite:///{tmp_path / 'app.db'}")
    store.enqueue("zalo", "old", "user-a", "{}")
    [claimed] = store.claim("zalo", "w1", 30, 10)
    store.done(claimed["id"])
    with store.engine.begin() as connection:
        connection.execute(update(inbox).values(done_at=inbox.c.done_at - timedelta(days=8)))
    store.purge_expired()
    assert store.enqueue("zalo", "old", "user-a", "{}")


def test_long_payloads_get_a_stable_short_key(tmp_path):
    store = ChannelStore(f"sqlite:///{tmp_path / 'app.db'}")
    payload = '/quiz_answer{"quiz_choice": "' + "b" * 80 + '"}'
    key = store.short_key(payload)
    assert key == store.short_key(payload) and len(key) < 60
    assert ChannelStore(f"sqlite:///{tmp_path / 'app.db'}").payload_for(key) == payload


# --- retries and order ---


class FakeTransport:
    """Answers each chat's sends from a script of outcomes; records what went through."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.delivered = []

    def send(self, text):
        async def attempt():
            await asyncio.sleep(0)
            outcome = self.outcomes.pop(0) if self.outcomes else "ok"
            if outcome != "ok":
                raise outcome
            self.delivered.append(text)
            return text

        return attempt


def test_rate_limit_and_server_errors_are_retried_with_exponential_backoff():
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    transport = FakeTransport(TryAgain("500"), TryAgain("500"), httpx.ReadTimeout("slow"), TryAgain("429", after=7))
    sender = Sender("test", first_delay=0.5, sleep=sleep)
    asyncio.run(sender.send_in_order("chat", [transport.send("một")]))
    assert transport.delivered == ["một"]
    assert slept == [0.5, 1.0, 2.0, 7]  # the platform's retry_after wins


def test_gives_up_after_the_last_attempt_and_the_next_message_still_goes():
    async def sleep(seconds):
        pass

    transport = FakeTransport(*[TryAgain("500")] * 3, Undeliverable("blocked"))
    sender = Sender("test", max_attempts=3, sleep=sleep)
    asyncio.run(sender.send_in_order("chat", [transport.send("một"), transport.send("hai"), transport.send("ba")]))
    assert transport.delivered == ["ba"]


def test_one_chats_messages_stay_in_order_while_one_is_retried():
    async def scenario():
        transport = FakeTransport(TryAgain("429", after=0.05))
        sender = Sender("test")
        first = asyncio.ensure_future(sender.send_in_order("chat", [transport.send("1"), transport.send("2")]))
        await asyncio.sleep(0)
        second = asyncio.ensure_future(sender.send_in_order("chat", [transport.send("3")]))
        other = asyncio.ensure_future(sender.send_in_order("someone else", [transport.send("x")]))
        await asyncio.gather(first, second, other)
        return transport.delivered

    delivered = asyncio.run(scenario())
    assert [d for d in delivered if d != "x"] == ["1", "2", "3"]
    assert delivered.index("x") < delivered.index("1")  # another chat does not wait for this one's retry


def test_http_statuses_mean_retry_or_give_up():
    with pytest.raises(TryAgain) as rate_limited:
        check_http_status(httpx.Response(429, headers={"Retry-After": "3"}))
    assert rate_limited.value.after == 3
    with pytest.raises(TryAgain):
        check_http_status(httpx.Response(503))
    with pytest.raises(Undeliverable):
        check_http_status(httpx.Response(403))
    check_http_status(httpx.Response(200))


def test_erasing_a_user_deletes_their_inbox_rows(tmp_path):
    from bot.store import Database

    url = f"sqlite:///{tmp_path / 'app.db'}"
    store = ChannelStore(url)
    store.enqueue("zalo", "msg-1", "user-a", '{"text": "em bi giu"}')
    store.enqueue("zalo", "msg-2", "user-b", "{}")
    [first, _] = store.claim("zalo", "w1", 30, 10)
    store.reply_attempted(first["id"], 0, "user-a")
    # The event, its reply (attempted, of unknown fate) and when the user last wrote.
    assert Database(url).erase_user("user-a") == 3
    assert [row["event"] for row in store.claim("zalo", "w2", 30, 10)] == []  # user-b's is leased by w1
    assert store.enqueue("zalo", "msg-1", "user-a", "{}")  # nothing of user-a is left, not even the id
