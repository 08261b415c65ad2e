"""Two Rasa instances behind one webhook address, as production runs them.

They share PostgreSQL (conversations and the application database) and Redis
(Rasa's lock store), both started here from Debian's packages. Zalo may post a
webhook to either instance, and redeliver it to the other.
"""

import threading

import httpx
import pytest
from support.chat import add_staff, staff_client, wait_for
from support.fakes import FakePlatforms
from support.servers import Postgres, Redis
from support.webhooks import (
    CHANNEL_APP_SECRET,
    RASA_JWT_SECRET,
    Webhooks,
    ZaloChannel,
    assistant_on_fakes,
    new_user,
    zalo_text,
)

from bot.handoff.delivery import rasa_api_headers
from contract.identity import user_key_for

DANGER = "cứu em với, em bị giữ ở campuchia không về được"


@pytest.fixture(scope="module")
def zalo():
    """Fake platforms of their own: the session's fake Zalo has moved on to refreshed tokens."""
    with FakePlatforms() as fakes:
        yield fakes


@pytest.fixture(scope="module")
def instances(trained_model, zalo, tmp_path_factory):
    data = tmp_path_factory.mktemp("several")
    postgres, redis = Postgres().start(), Redis(data).start()
    running = assistant_on_fakes(
        trained_model,
        zalo.url,
        data,
        "several-instances-logs",
        more_rasa_instances=1,
        DATABASE_URL=postgres.url("app"),
        TRACKER_STORE_URL=postgres.url("tracker"),
        LOCK_STORE_URL=redis.url,
    )
    try:
        with running:
            yield [
                ZaloChannel(webhooks_to(running, port, zalo), zalo.zalo)
                for port in (running.ports.rasa, *running.ports.more_rasa)
            ]
    finally:
        redis.stop()
        postgres.stop()


def webhooks_to(assistant, port, platforms):
    webhooks = Webhooks(f"http://127.0.0.1:{port}", platforms)
    webhooks.assistant = assistant
    return webhooks


def user_texts(instance, user):
    tracker = httpx.get(
        f"http://127.0.0.1:{instance.webhooks.assistant.ports.rasa}/conversations/zalo:{user}/tracker",
        headers=rasa_api_headers(RASA_JWT_SECRET),
        timeout=30,
    ).json()
    return [event["text"] for event in tracker["events"] if event["event"] == "user"]


def test_a_redelivery_to_the_other_instance_gets_no_second_reply(instances):
    first, second = instances
    user = new_user()
    delivery = zalo_text(user, "cảm ơn bạn")
    assert first.post(delivery).status_code == 200
    assert second.post(delivery).status_code == 200
    assert len(first.fake.wait_for(user, settle=3)) == 1


def test_messages_of_one_user_on_both_instances_at_once_are_all_kept(instances):
    """Two turns of one conversation at the same moment: Redis makes them wait for each other."""
    first, second = instances
    user = new_user()
    sent = [f"tin thứ {n}" for n in range(12)]

    def post(instance, text):
        instance.post(zalo_text(user, text))

    for pair in zip(sent[::2], sent[1::2], strict=False):
        both = [
            threading.Thread(target=post, args=(instance, text))
            for instance, text in zip(instances, pair, strict=False)
        ]
        for thread in both:
            thread.start()
        for thread in both:
            thread.join()
    first.fake.wait_for(user, count=len(sent), settle=3)
    assert sorted(user_texts(first, user)) == sorted(sent)


def test_a_hand_off_carries_on_whichever_instance_takes_each_message(instances):
    first, second = instances
    user = new_user()
    first.post(zalo_text(user, DANGER))
    offer = first.fake.wait_for(user)
    second.press(user, offer[-1], "/affirm")  # the consent reaches the other instance
    opened = first.fake.wait_for(user, count=len(offer) + 1)
    assert any("mã yêu cầu" in sent.text for sent in opened)
    first.post(zalo_text(user, "họ giữ hộ chiếu của em"))  # the hand-off loop is in the shared tracker

    assistant = first.webhooks.assistant
    assert add_staff(assistant, "thu").returncode == 0
    hotline = staff_client(assistant, "thu")
    key = user_key_for(f"zalo:{user}", CHANNEL_APP_SECRET)
    case = wait_for(
        lambda: [
            c for c in hotline.get("/staff/api/inbox").json()["cases"] if c["reference"] == f"ND-{key[:6].upper()}"
        ]
    )[0]
    transcript = wait_for(
        lambda: [
            m["text"]
            for m in hotline.get(f"/staff/api/cases/{case['id']}?after=0").json()["messages"]
            if m["text"] == "họ giữ hộ chiếu của em"
        ]
    )
    assert transcript
    hotline.post(f"/staff/cases/{case['id']}/reply", data={"csrf": hotline.csrf, "text": "Chị đây, em cứ nhắn."})
    assert "Chị đây, em cứ nhắn." in first.fake.wait_for(user, count=len(opened) + 1)[-1].text


def test_an_expired_zalo_token_is_refreshed_once_for_both_instances(instances):
    """The refresh token is single-use: a second refresh with it would fail, and lose that message."""
    first, second = instances
    users = [new_user(), new_user()]
    for instance, user in zip(instances, users, strict=False):  # each instance has sent once: both hold the token
        instance.post(zalo_text(user, "cảm ơn bạn"))
        instance.fake.wait_for(user)
    refreshes = first.fake.refreshes
    first.fake.expire_token()
    both = [
        threading.Thread(target=instance.post, args=(zalo_text(user, "xin chào"),))
        for instance, user in zip(instances, users, strict=False)
    ]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    for user in users:
        assert "Chào bạn" in first.fake.wait_for(user, count=2)[-1].text
    assert first.fake.refreshes == refreshes + 1
