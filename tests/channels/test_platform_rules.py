"""Each platform's reply rules, the connectors run in this process against the fakes (no Rasa).

What a reply may be depends on when the user last wrote (Messenger's 24 hours
and HUMAN_AGENT tag, Zalo's 48 hours and 7 days), on how the platform answers a
failure (Graph's error codes, Telegram's first getMe and timeouts), and each is
set up here directly: a connector, a user who wrote N hours ago, one reply.
"""

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import select
from support.fakes import MESSENGER_PAGE_TOKEN, TELEGRAM_TOKEN, ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET
from support.webhooks import (
    CHANNEL_APP_SECRET,
    MESSENGER_APP_SECRET,
    MESSENGER_VERIFY_TOKEN,
    TELEGRAM_WEBHOOK_SECRET,
    new_user,
)

from channels.core import Reply, user_key
from channels.inbox import Claimed
from channels.messenger import MessengerInput, MessengerSettings
from channels.store import undelivered
from channels.telegram import TelegramInput, TelegramSettings
from channels.zalo import ZaloInput, ZaloSettings
from contract.names import MESSAGE_KIND_KEY, STAFF_REPLY_KIND

STAFF_REPLY = Reply("Chị là cán bộ đường dây nóng. Em còn ở đó không?", staff_reply=True)


@pytest.fixture(autouse=True)
def app_secret_key(monkeypatch):
    monkeypatch.setenv("APP_SECRET_KEY", CHANNEL_APP_SECRET)


def messenger(platforms, tmp_path, human_agent_tag=False):
    settings = MessengerSettings(
        MESSENGER_APP_SECRET,
        MESSENGER_VERIFY_TOKEN,
        MESSENGER_PAGE_TOKEN,
        f"{platforms.url}/messenger",
        human_agent_tag,
    )
    return MessengerInput(settings, store_url=f"sqlite:///{tmp_path / 'app.db'}")


def zalo(platforms, tmp_path):
    settings = ZaloSettings(
        ZALO_APP_ID,
        ZALO_OA_SECRET,
        ZALO_APP_SECRET,
        platforms.zalo.access_token,
        platforms.zalo.refresh_token,
        api_base=f"{platforms.url}/zalo",
        oauth_base=f"{platforms.url}/zalo",
        token_file=tmp_path / "tokens.json",
    )
    return ZaloInput(settings, store_url=f"sqlite:///{tmp_path / 'app.db'}")


def telegram(platforms, tmp_path, read_timeout=5.0):
    settings = TelegramSettings(
        TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET, f"{platforms.url}/telegram", read_timeout=read_timeout
    )
    return TelegramInput(settings, store_url=f"sqlite:///{tmp_path / 'app.db'}")


def wrote_hours_ago(channel, fake, user, hours):
    """The user's last message, `hours` ago, as both the platform and the connector know it."""
    fake.user_wrote(user, time.time() - hours * 3600)
    at = datetime.now(timezone.utc) - timedelta(hours=hours)
    channel.store.user_wrote(channel.platform, user_key(f"{channel.platform}:{user}"), at)


def send(channel, user, reply=STAFF_REPLY):
    async def sending():
        channel.sender.first_delay = 0.05
        await channel.output().send_reply(f"{channel.platform}:{user}", reply)

    asyncio.run(sending())


def refusals(channel):
    with channel.store.engine.connect() as connection:
        return [row.reason for row in connection.execute(select(undelivered.c.reason, undelivered.c.staff_reply))]


# --- Messenger: the 24-hour window and the HUMAN_AGENT tag -------------------------------


def test_messenger_staff_reply_within_24_hours_goes_untagged_and_arrives(platforms, tmp_path):
    """Graph refuses HUMAN_AGENT to an app without the permission: a tag on every staff reply lost them all."""
    for tag_setting in (False, True):
        channel, user = messenger(platforms, tmp_path / str(tag_setting), human_agent_tag=tag_setting), new_user()
        wrote_hours_ago(channel, platforms.messenger, user, 2)
        send(channel, user)
        [sent] = platforms.messenger.to(user)
        assert sent.body["messaging_type"] == "RESPONSE" and "tag" not in sent.body
        assert refusals(channel) == []


def test_messenger_staff_reply_after_24_hours_without_the_tag_is_flagged_to_staff(platforms, tmp_path):
    channel, user = messenger(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.messenger, user, 30)
    send(channel, user)
    assert platforms.messenger.to(user) == []
    assert refusals(channel) == ["Graph error 10: outside Messenger's 24-hour window (and no HUMAN_AGENT tag allowed)"]


def test_messenger_human_agent_tag_only_outside_the_window_and_only_with_the_permission(platforms, tmp_path):
    channel, user = messenger(platforms, tmp_path, human_agent_tag=True), new_user()
    wrote_hours_ago(channel, platforms.messenger, user, 30)
    platforms.messenger.human_agent_permission = False
    send(channel, user)
    assert platforms.messenger.to(user) == [] and "Graph error 10" in refusals(channel)[0]
    platforms.messenger.human_agent_permission = True
    try:
        send(channel, user)
    finally:
        platforms.messenger.human_agent_permission = False
    [sent] = platforms.messenger.to(user)
    assert sent.body["messaging_type"] == "MESSAGE_TAG" and sent.body["tag"] == "HUMAN_AGENT"


def test_messenger_bot_messages_never_carry_the_tag(platforms, tmp_path):
    channel, user = messenger(platforms, tmp_path, human_agent_tag=True), new_user()
    wrote_hours_ago(channel, platforms.messenger, user, 30)
    send(channel, user, Reply("Tin của trợ lý"))
    # Sent as RESPONSE and refused as outside the window (with the tag it would be "no permission").
    assert platforms.messenger.refused[-1] == platforms.messenger.OUTSIDE_WINDOW["message"]
    assert refusals(channel) == ["Graph error 10: outside Messenger's 24-hour window (and no HUMAN_AGENT tag allowed)"]


def the_handoff_loop_says(step):
    """What the hand-off loop (actions/handoff.py) answers the action call with, as JSON crosses HTTP."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.handoff import _say

    dispatcher = CollectingDispatcher()
    _say(dispatcher, step, abroad=False)
    return json.loads(json.dumps(dispatcher.messages))


def rasa_hands_on(responses, channel, recipient):
    """What Rasa does with an action's responses: renders each through the NLG endpoint (here
    the reply as it is), merges the action's parts into it, and gives the channel each message."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    class Rendered(NaturalLanguageGenerator):
        async def generate(self, utter_action, tracker, output_channel, **kwargs):
            return {"text": kwargs["reply"]}

    async def running():
        channel.sender.first_delay = 0.05
        output, tracker = channel.output(), DialogueStateTracker(recipient, [])
        events = await RemoteAction._utter_responses(responses, output, Rendered(), tracker)
        await MessageProcessor._send_bot_messages(events, tracker, output)

    asyncio.run(running())


def test_a_staff_reply_keeps_its_mark_from_the_handoff_loop_to_messenger(platforms, tmp_path):
    """The one mark (contract.names.STAFF_REPLY_KIND) across its hops: the hand-off loop sets it
    on a person's reply, Rasa passes it on in the response's custom part, the connector reads it,
    and Messenger sends that reply with the HUMAN_AGENT tag after the 24-hour window."""
    from bot.handoff.conversation import Say, Step

    channel, user = messenger(platforms, tmp_path, human_agent_tag=True), new_user()
    wrote_hours_ago(channel, platforms.messenger, user, 30)
    staff_reply = Say("utter_handoff_staff_reply", {"reply": STAFF_REPLY.text})
    responses = the_handoff_loop_says(Step([staff_reply]))
    assert responses[0]["custom"] == {MESSAGE_KIND_KEY: STAFF_REPLY_KIND}
    platforms.messenger.human_agent_permission = True
    try:
        rasa_hands_on(responses, channel, f"messenger:{user}")
    finally:
        platforms.messenger.human_agent_permission = False
    [sent] = platforms.messenger.to(user)
    assert sent.body["messaging_type"] == "MESSAGE_TAG" and sent.body["tag"] == "HUMAN_AGENT"
    assert sent.body["message"]["text"] == STAFF_REPLY.text
    assert refusals(channel) == []


@pytest.mark.parametrize("failure", [(400, 1200), (500, 1200), (403, 4), (500, 613), (400, 2)])
def test_messenger_temporary_errors_and_rate_limits_are_retried_whatever_the_http_status(platforms, tmp_path, failure):
    channel, user = messenger(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.messenger, user, 1)
    platforms.messenger.fail_next(failure)
    send(channel, user, Reply("Xin chào"))
    assert platforms.messenger.failures == [] and len(platforms.messenger.to(user)) == 1


def test_messenger_quick_reply_titles_fit_as_meta_counts_them(platforms, tmp_path):
    channel, user = messenger(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.messenger, user, 1)
    refused = len(platforms.messenger.refused)
    send(
        channel,
        user,
        Reply.from_rasa({"text": "Chọn", "buttons": [{"title": "🎯🎯🎯 Làm quiz ngay nhé", "payload": "/start_quiz"}]}),
    )
    assert platforms.messenger.refused[refused:] == [] and len(platforms.messenger.to(user)) == 1


# --- Zalo: 48 hours free, 7 days paid -------------------------------------------------


@pytest.mark.parametrize(
    "hours,cloud_account,delivered,reason",
    [
        (30, False, True, None),
        (
            60,
            False,
            False,
            "Zalo error -320: more than 48 hours since the user wrote: the reply needs a Zalo Cloud Account (paid)",
        ),
        (60, True, True, None),
        (24 * 8, True, False, "Zalo error -230: the user has not written for 7 days: Zalo accepts no reply"),
    ],
)
def test_zalo_replies_after_48_hours_need_a_cloud_account_and_none_go_after_7_days(
    platforms, tmp_path, hours, cloud_account, delivered, reason
):
    channel, user = zalo(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.zalo, user, hours)
    platforms.zalo.cloud_account = cloud_account
    try:
        send(channel, user)
    finally:
        platforms.zalo.cloud_account = False
    assert bool(platforms.zalo.to(user)) == delivered
    assert refusals(channel) == ([] if delivered else [reason])


# --- Telegram: the first getMe, timeouts, the token ------------------------------------


def test_telegram_a_failed_getme_on_the_first_send_is_retried(platforms, tmp_path):
    channel, chat = telegram(platforms, tmp_path), new_user()[:10]
    platforms.telegram.get_me_failures = 1
    send(channel, chat, Reply("Xin chào"))
    assert platforms.telegram.get_me_failures == 0 and len(platforms.telegram.to(chat)) == 1
    assert refusals(channel) == []


def test_telegram_a_timeout_after_sending_is_not_sent_twice_and_is_flagged(platforms, tmp_path):
    # A read timeout shorter than the fake's slow answer: the same failure as python-telegram-bot's
    # 5 s against a slower Telegram, in a fraction of the time.
    channel, chat = telegram(platforms, tmp_path, read_timeout=0.5), new_user()[:10]
    platforms.telegram.fail_next("slow")  # Telegram takes it, and answers after the client stopped waiting
    send(channel, chat, Reply("Chị là cán bộ", staff_reply=True))
    time.sleep(platforms.telegram.SLOW_SECONDS)  # until the slow one is taken, and any second copy with it
    assert len(platforms.telegram.to(chat)) == 1
    assert refusals(channel) == ["TimedOut after sending: the message may not have arrived"]


def test_telegram_a_refused_token_is_never_written_down(platforms, tmp_path, caplog):
    settings = TelegramSettings("999:not-the-token", TELEGRAM_WEBHOOK_SECRET, f"{platforms.url}/telegram")
    channel = TelegramInput(settings, store_url=f"sqlite:///{tmp_path / 'app.db'}")
    send(channel, new_user()[:10], Reply("Xin chào"))
    assert refusals(channel) == ["InvalidToken: Telegram refused the bot token"]
    assert "not-the-token" not in caplog.text


# --- Zalo: a reply whose fate a crash left unknown (issue 13) ----------------------------

THANKS_REPLY = {"text": "Cảm ơn bạn đã tin tưởng. Gọi 111 nếu cần giúp ngay."}


def one_event(channel, user):
    """An inbox event of `user`, taken by a worker: the turn that is cut short and run again."""
    channel.store.enqueue(channel.platform, new_user(), user_key(f"{channel.platform}:{user}"), "{}")
    [row] = channel.store.claim(channel.platform, "worker", 30, 1)
    return Claimed(row["id"], row["event"], row["attempts"])


def taken_again(turn):
    """The same event taken again once the dead worker's lease ran out: nothing of its memory is left."""
    return Claimed(turn.id, turn.event, turn.attempts + 1)


def run_turn(channel, user, turn, replies):
    """One run of an event's turn: Rasa handing its replies to the output, in order."""

    async def run():
        channel.sender.first_delay = 0.05
        output = channel.output(turn)
        for reply in replies:
            await output.send_response(f"{channel.platform}:{user}", reply)

    asyncio.run(run())


def killed_after_the_send(channel, user, turn):
    """Zalo accepted the reply, then Rasa died before the turn's next record (a reply's, or the event done)."""
    run_turn(channel, user, turn, [THANKS_REPLY])
    [record] = channel.store.reply_records(turn.id).values()
    assert not record.sent  # attempted, of unknown fate: its mark was to come with the next record
    return taken_again(turn)


def test_zalo_a_reply_accepted_just_before_a_crash_is_not_sent_again(platforms, tmp_path):
    channel, user = zalo(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.zalo, user, 0)
    again = killed_after_the_send(channel, user, one_event(channel, user))
    assert len(platforms.zalo.to(user)) == 1
    reads = platforms.zalo.conversation_reads
    run_turn(channel, user, again, [THANKS_REPLY, {"text": "Bạn còn muốn hỏi gì nữa không?"}])
    assert [sent.text for sent in platforms.zalo.to(user)] == [THANKS_REPLY["text"], "Bạn còn muốn hỏi gì nữa không?"]
    assert platforms.zalo.conversation_reads == reads + 1  # one look at the conversation, for the unknown one
    # The one found there is marked sent with the next reply's attempt: a second crash would not look again.
    records = channel.store.reply_records(again.id)
    assert records[0].sent and not records[1].sent and again.accepted == [1]


def test_zalo_a_reply_attempted_but_never_received_is_sent_once(platforms, tmp_path):
    """The same words sent in an earlier turn are not taken for this one: only a message after the attempt counts."""
    channel, user = zalo(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.zalo, user, 0)
    earlier = one_event(channel, user)
    run_turn(channel, user, earlier, [THANKS_REPLY])  # an earlier message, the same answer
    channel.store.done(earlier.id)
    turn = one_event(channel, user)
    channel.store.reply_attempted(turn.id, 0, user_key(f"zalo:{user}"))  # Rasa died before the send left
    time.sleep(0.01)
    reads = platforms.zalo.conversation_reads
    run_turn(channel, user, taken_again(turn), [THANKS_REPLY])
    assert [sent.text for sent in platforms.zalo.to(user)] == [THANKS_REPLY["text"]] * 2  # one per turn
    assert platforms.zalo.conversation_reads == reads + 1


def test_zalo_a_reply_of_unknown_fate_is_sent_again_when_the_conversation_cannot_be_read(platforms, tmp_path):
    """A lost hotline number is worse than a duplicate: without an answer from Zalo, the reply goes again."""
    channel, user = zalo(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.zalo, user, 0)
    again = killed_after_the_send(channel, user, one_event(channel, user))
    platforms.zalo.conversation_unavailable = True
    try:
        run_turn(channel, user, again, [THANKS_REPLY])
    finally:
        platforms.zalo.conversation_unavailable = False
    assert [sent.text for sent in platforms.zalo.to(user)] == [THANKS_REPLY["text"]] * 2


def test_a_turn_s_first_run_does_not_look_for_earlier_records(platforms, tmp_path, monkeypatch):
    """Replies are recorded only by runs of their own event: on its first run there are none to read."""
    channel, user = zalo(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.zalo, user, 0)
    monkeypatch.setattr(channel.store, "reply_records", lambda *_: pytest.fail("records read on a first run"))
    turn = one_event(channel, user)
    run_turn(channel, user, turn, [THANKS_REPLY])
    assert [sent.text for sent in platforms.zalo.to(user)] == [THANKS_REPLY["text"]]


def test_telegram_marks_a_reply_sent_as_soon_as_it_is_taken(platforms, tmp_path):
    """Telegram cannot show what the bot sent: a reply waiting for the turn's next record
    would be sent twice by a crash in between, so it is marked at once."""
    channel, chat = telegram(platforms, tmp_path), new_user()[:10]
    turn = one_event(channel, chat)
    run_turn(channel, chat, turn, [THANKS_REPLY])
    [record] = channel.store.reply_records(turn.id).values()
    assert record.sent and turn.accepted == []
    run_turn(channel, chat, taken_again(turn), [THANKS_REPLY])  # a crash after it: not sent again
    assert len(platforms.telegram.to(chat)) == 1


def test_fake_zalo_conversation_api_refuses_what_zalo_refuses(platforms, tmp_path):
    channel, user = zalo(platforms, tmp_path), new_user()
    wrote_hours_ago(channel, platforms.zalo, user, 0)
    send(channel, user, Reply("Xin chào"))
    base = f"{platforms.url}/zalo/v2.0/oa/conversation"

    def read(token, **data):
        return httpx.get(base, headers={"access_token": token}, params={"data": json.dumps(data)}).json()

    [message] = read(platforms.zalo.access_token, user_id=user, offset=0, count=10)["data"]
    assert (message["src"], message["message"], message["to_id"]) == (0, "Xin chào", user)
    assert read("not-the-token", user_id=user, offset=0, count=10)["error"] == -216
    assert read(platforms.zalo.access_token, user_id=user, offset=0, count=11)["error"] == -201
    assert read(platforms.zalo.access_token, offset=0, count=10)["error"] == -201
    assert read(platforms.zalo.access_token, user_id=new_user(), offset=0, count=10)["data"] == []
