"""Each platform's parsing of events and rendering of replies within its limits."""

import asyncio
import contextlib
import json

import pytest

from channels.core import PLATFORM_FOLLOW, UNSUPPORTED_MESSAGE, Inbound, Reply, StaffEcho, unseal
from channels.messenger import MessengerInput, MessengerSettings
from channels.telegram import TelegramInput, TelegramSettings
from channels.zalo import ZaloInput, ZaloSettings, ZaloTokens
from contract.limits import MessengerLimit, ZaloLimit, text_length


@pytest.fixture(autouse=True)
def app_secret_key(monkeypatch):
    """The key of button seals and user keys, as every enabled channel has it."""
    monkeypatch.setenv("APP_SECRET_KEY", "unit-secret")


BUTTONS = [
    {"title": f"Lựa chọn thật là dài số {n}", "payload": f'/quiz_answer{{"quiz_choice": "{n}"}}'} for n in range(16)
]


def zalo(tmp_path):
    return ZaloInput(
        ZaloSettings("1", "oa", "app", "token", "refresh", token_file=tmp_path / "t.json"),
        store_url=f"sqlite:///{tmp_path / 'a.db'}",
    )


def messenger(tmp_path):
    return MessengerInput(MessengerSettings("s", "v", "p"), store_url=f"sqlite:///{tmp_path / 'a.db'}")


def telegram(tmp_path):
    return TelegramInput(TelegramSettings("1:T", "secret"), store_url=f"sqlite:///{tmp_path / 'a.db'}")


def bodies(output, chat, reply):
    """What each planned request would carry, without sending it."""
    captured = []

    class Client:
        async def post(self, url, **kwargs):
            captured.append(kwargs.get("json"))
            raise RuntimeError("captured")

    output.channel._client = Client()

    async def plan():
        for attempt in await output.requests(chat, reply):
            with contextlib.suppress(RuntimeError):
                await attempt()

    asyncio.run(plan())
    return captured


def test_zalo_events(tmp_path):
    channel = zalo(tmp_path)
    text = {"event_name": "user_send_text", "sender": {"id": "u1"}, "message": {"msg_id": "m1", "text": "xin chào"}}
    image = {
        "event_name": "user_send_image",
        "sender": {"id": "u1"},
        "message": {"msg_id": "m2", "attachments": [{"type": "image", "payload": {"url": "https://img/1.jpg"}}]},
    }
    sticker = {"event_name": "user_send_sticker", "sender": {"id": "u1"}, "message": {"msg_id": "m3"}}
    follow = {"event_name": "follow", "follower": {"id": "u2"}, "timestamp": "1"}
    echo = {
        "event_name": "oa_send_text",
        "sender": {"id": "oa", "admin_id": "a1"},
        "recipient": {"id": "u1"},
        "message": {"msg_id": "m4", "text": "staff"},
    }
    seen = {"event_name": "user_seen_message", "sender": {"id": "u1"}}
    ours = {
        "event_name": "oa_send_text",
        "sender": {"id": "oa"},
        "recipient": {"id": "u1"},
        "message": {"msg_id": "m5", "text": "bot"},
    }
    events = [channel.event(e) for e in (text, image, sticker, follow, echo, seen, ours)]
    assert events[0] == Inbound("u1", "m1", "xin chào")
    assert events[1].text == "/check_job_offer" and events[1].metadata == {"image_url": "https://img/1.jpg"}
    assert events[2].text == UNSUPPORTED_MESSAGE
    assert events[3].text == PLATFORM_FOLLOW and events[3].user == "u2"
    assert events[4] == StaffEcho("u1", "m4")  # a person in the OA admin: sender.admin_id
    assert events[5] is None
    assert events[6] is None  # the echo of a message the connector sent: no admin_id


def test_zalo_buttons_within_five_and_phone_buttons_only_for_known_good_numbers(tmp_path):
    phones = [{"title": "📞 111", "payload": "tel:111"}, {"title": "📞 BHCD", "payload": "tel:+84981848484"}]
    reply = Reply.from_rasa({"text": "Chọn", "buttons": phones + BUTTONS})
    sent = bodies(zalo(tmp_path).output(), "u1", reply)
    buttons = sent[-1]["message"]["attachment"]["payload"]["buttons"]
    assert len(buttons) == ZaloLimit.MAX_BUTTONS
    assert buttons[0] == {"title": "📞 BHCD", "type": "oa.open.phone", "payload": {"phone_code": "84981848484"}}
    assert buttons[1]["type"] == "oa.query.hide" and unseal(buttons[1]["payload"]) == BUTTONS[0]["payload"]
    assert sent[-1]["message"]["text"].endswith("📞 111: 111\n📞 BHCD: +84981848484")


def test_zalo_phone_buttons_can_be_switched_off(tmp_path):
    channel = ZaloInput(
        ZaloSettings("1", "oa", "app", "token", "refresh", token_file=tmp_path / "t.json", phone_buttons="off"),
        store_url="sqlite://",
    )
    reply = Reply.from_rasa({"text": "Gọi", "buttons": [{"title": "📞 BHCD", "payload": "tel:+84981848484"}]})
    [sent] = bodies(channel.output(), "u1", reply)
    assert "attachment" not in sent["message"] and sent["message"]["text"] == "Gọi\n\n📞 BHCD: +84981848484"


def test_zalo_titles_and_payloads_within_their_limits(tmp_path):
    long_title = {"title": "Một lựa chọn " * 12, "payload": "/affirm"}
    long_payload = {"title": "Dài", "payload": "/start_quiz" + "x" * 1200}
    sent = bodies(
        zalo(tmp_path).output(), "u1", Reply.from_rasa({"text": "Chọn", "buttons": [long_title, long_payload]})
    )
    buttons = sent[-1]["message"]["attachment"]["payload"]["buttons"]
    assert [len(b["title"]) for b in buttons] == [ZaloLimit.MAX_BUTTON_TITLE]  # the long payload's button is left out


def test_zalo_tokens_on_disk_win_over_the_environment_and_are_private(tmp_path):
    path = tmp_path / "tokens.json"
    ZaloTokens(path, "env-access", "env-refresh").save("new-access", "new-refresh")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = ZaloTokens(path, "env-access", "env-refresh")
    assert (again.access_token, again.refresh_token) == ("new-access", "new-refresh")
    assert json.loads(path.read_text())["refresh_token"] == "new-refresh"


def test_messenger_quick_replies_cut_to_limits_and_phones_in_a_button_template(tmp_path):
    phones = [
        {"title": "📞 Bảo hộ công dân", "payload": "tel:+84981848484"},
        {"title": "📞 Gọi 111", "payload": "tel:111"},
    ]
    reply = Reply.from_rasa({"text": "x " * 1500, "buttons": phones + BUTTONS})
    sent = bodies(messenger(tmp_path).output(), "u1", reply)
    assert all(len(s["message"].get("text", "")) <= MessengerLimit.MAX_TEXT_LENGTH for s in sent)
    last = sent[-1]["message"]
    template = last["attachment"]["payload"]
    assert template["template_type"] == "button" and len(template["text"]) <= MessengerLimit.MAX_TEMPLATE_TEXT_LENGTH
    # Meta's call button takes only +<country code><number>: the short code goes in the text.
    assert template["buttons"] == [{"type": "phone_number", "title": "📞 Bảo hộ công dân", "payload": "+84981848484"}]
    assert template["text"].endswith("📞 Gọi 111: 111")
    assert len(last["quick_replies"]) == MessengerLimit.MAX_QUICK_REPLIES
    assert all(text_length(q["title"]) <= MessengerLimit.MAX_QUICK_REPLY_TITLE for q in last["quick_replies"])
    assert unseal(last["quick_replies"][0]["payload"]) == BUTTONS[0]["payload"]
    assert all(s["messaging_type"] == "RESPONSE" for s in sent)


def test_messenger_events_of_every_entry_and_no_echoes(tmp_path):
    channel = messenger(tmp_path)
    payload = {
        "object": "page",
        "entry": [
            {"messaging": [{"sender": {"id": "a"}, "message": {"mid": "1", "text": "xin chào"}}]},
            {"standby": [{"sender": {"id": "b"}}]},
            {
                "messaging": [
                    {"sender": {"id": "b"}, "postback": {"mid": "2", "payload": "/start_quiz", "title": "Quiz"}},
                    {"sender": {"id": "page"}, "message": {"mid": "3", "text": "ours", "is_echo": True}},
                    {
                        "sender": {"id": "c"},
                        "message": {
                            "mid": "4",
                            "attachments": [{"type": "image", "payload": {"url": "u", "sticker_id": 369239263222822}}],
                        },
                    },
                ]
            },
        ],
    }
    events = [e for e in channel.events(payload) if e]
    assert [(e.user, e.text) for e in events] == [("a", "xin chào"), ("b", "/start_quiz"), ("c", UNSUPPORTED_MESSAGE)]


def test_telegram_long_callback_data_goes_through_a_short_key(tmp_path):
    channel = telegram(tmp_path)
    output = channel.output()
    long_payload = BUTTONS[0]["payload"] + "x" * 80
    data = asyncio.run(output.callback_data(long_payload))
    assert len(data.encode()) <= 64
    answered = []

    class Bot:
        async def answer_callback_query(self, query_id):
            answered.append(query_id)

    async def ready_bot():
        return Bot()

    channel.ready_bot = ready_bot
    pressed = asyncio.run(channel.on_arrival(Inbound("1", "d", data, platform_ref="query-1")))
    assert unseal(pressed.text) == long_payload and answered == ["query-1"]
    assert unseal(asyncio.run(output.callback_data("/affirm"))) == "/affirm"


def test_telegram_ignores_group_chats(tmp_path):
    channel = telegram(tmp_path)
    update = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "supergroup"}, "text": "hi"},
    }
    assert list(channel.events(update)) == []


def test_a_channel_without_its_settings_is_disabled(tmp_path, monkeypatch):
    for name in ("ZALO_APP_ID", "ZALO_OA_SECRET", "ZALO_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZALO_TOKEN_FILE", str(tmp_path / "none.json"))
    channel = ZaloInput.from_credentials(None)
    assert not channel.enabled and channel.get_output_channel() is None


def test_a_channel_without_the_app_secret_key_is_disabled(tmp_path, monkeypatch):
    """Its user references would not match the bot's, and erasing a user would miss its rows."""
    monkeypatch.delenv("APP_SECRET_KEY", raising=False)
    assert not messenger(tmp_path).enabled
    monkeypatch.setenv("APP_SECRET_KEY", "k")
    assert messenger(tmp_path).enabled
