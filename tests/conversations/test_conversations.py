"""Whole conversations, typed as people type, through the real processes and the web chat path.

Each script in this folder (tests/conversations/*.yml) is one conversation:
a list of turns, each a message and what the person would notice in the reply:

  say: the message typed (or a button payload, "/affirm")
  press: the title of a button shown in the previous reply (sends its payload)
  type_option: a letter: types the words of that quiz option, without diacritics
  expect:
    case_opened: true|false     is a hand-off case open for this user now?
    verdict: high|medium|low|none   the verdict level the reply shows (none: no verdict)
    contains: [...]             every one of these is in the reply
    contains_any: [...]         at least one is
    not_contains: [...]         none is
    max_len: N                  no bubble longer than N characters (1,000 always)
    buttons: [...]              these payloads are among the reply's buttons
    deleted: true|false         did the reply say the data was erased?

The longest bubble of the whole suite is written to results/conversations.json.
"""

import json
import re

import httpx
import pytest
from support import ROOT
from support.chat import SECRET, browser, say
from support.conversation_scripts import BUBBLES, LONGEST, SCRIPTS, check_turn, load, open_cases

from contract.identity import user_key_for
from nlu.normalise import fold


def chat(assistant, user: httpx.Client, message: str):
    """One turn. Typed words go from the person's browser through the bot service. A payload
    ("/affirm", a pressed button) goes as the bot service forwards a button it delivered: the
    payload gate itself is tested in tests/security, and a script may start from a payload
    (a quiz chosen from a menu shown earlier) that this browser was never given."""
    if message.startswith("/"):
        return say(assistant, user.cookies["webchat_id"], message)
    response = user.post("/api/chat", json={"message": message}, timeout=90)
    response.raise_for_status()
    return response.json()


def option_words(replies, letter):
    """The words of option `letter` of the quiz question just shown, typed without diacritics."""
    text = "\n".join(r.get("text") or "" for r in replies)
    found = re.search(rf"^{letter}\. (.+)$", text, re.MULTILINE)
    assert found, f"no option {letter} in:\n{text}"
    return fold(found.group(1))


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_conversation(assistant, script):
    conversation = load(script)
    user = browser(assistant)
    sender = user.cookies["webchat_id"]
    cases_open = lambda: open_cases(assistant.data / "app.db", user_key_for(sender, SECRET))  # noqa: E731
    previous = []
    for number, turn in enumerate(conversation["turns"], start=1):
        if "type_option" in turn:
            message = option_words(previous, turn["type_option"])
        elif "press" in turn:
            titles = {b["title"]: b["payload"] for r in previous for b in r.get("buttons") or []}
            assert turn["press"] in titles, (
                f"{script.name} turn {number}: no button {turn['press']!r} in {list(titles)}"
            )
            message = titles[turn["press"]]
        else:
            message = turn["say"]
        previous = chat(assistant, user, message)
        check_turn(previous, turn.get("expect") or {}, f"{script.name} turn {number} ({message!r})", cases_open)


def test_the_suite_is_big_enough_and_reports_its_longest_bubble():
    assert len(SCRIPTS) >= 40
    assert all(len(load(p)["turns"]) >= 2 for p in SCRIPTS)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "conversations.json").write_text(
        json.dumps(
            {
                "scripts": len(SCRIPTS),
                "longest_bubble": LONGEST,
                "bubbles": len(BUBBLES),
                "under_600": sum(b < 600 for b in BUBBLES),
            },
            ensure_ascii=False,
        )
    )
