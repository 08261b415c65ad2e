"""The typed conversation scripts (tests/conversations/*.yml) on a platform connector: Zalo.

The web chat runs all of them; here every script that a Zalo user could type
as it is (no button payloads) runs through the signed Zalo webhook, the durable
inbox and the fake Zalo send API, and each turn is checked the same way.
"""

import pytest
from support.conversation_scripts import SCRIPTS, check_turn, load, open_cases, typed_only
from support.webhooks import CHANNEL_APP_SECRET, CHANNELS

from contract.identity import user_key_for

TYPED = [script for script in SCRIPTS if typed_only(script)]


def as_replies(channel, sent):
    return [{"text": s.text, "buttons": [{"payload": p} for p in channel.button_payloads(s)]} for s in sent]


@pytest.mark.parametrize("script", TYPED, ids=[p.stem for p in TYPED])
def test_conversation_on_zalo(platforms, webhooks, script):
    zalo = CHANNELS["zalo"](webhooks, platforms.zalo)
    user = zalo.new_user()
    key = user_key_for(zalo.conversation(user), CHANNEL_APP_SECRET)
    cases_open = lambda: open_cases(webhooks.assistant.data / "app.db", key)  # noqa: E731
    before = 0
    for number, turn in enumerate(load(script)["turns"], start=1):
        assert zalo.post(zalo.message(user, turn["say"])).status_code == 200
        sent = zalo.fake.wait_for(user, count=before + 1)
        replies, before = as_replies(zalo, sent[before:]), len(sent)
        check_turn(replies, turn.get("expect") or {}, f"zalo {script.name} turn {number} ({turn['say']!r})", cases_open)


def test_most_scripts_run_on_the_platform_too():
    assert len(TYPED) >= 20
