"""Whole conversations, typed as people type, through the real processes and the web chat path.

Each script in this folder (tests/conversations/*.yml) is one conversation:
a list of turns, each a message and what the person would notice in the reply:

  say: the message typed (or a button payload, "/affirm")
  press: the title of a button shown in the previous reply (sends its payload)
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
import sqlite3
from pathlib import Path

import httpx
import pytest
import yaml

from bot.store import user_key_for
from chat import SECRET, new_sender
from support import ROOT

HERE = Path(__file__).parent
SCRIPTS = sorted(HERE.glob("*.yml"))
PHONE_BUBBLE = 1000  # no bubble over this, on any turn of any conversation
VERDICT_MARKS = {"high": "Nguy cơ CAO", "medium": "Nguy cơ VỪA", "low": "không thấy dấu hiệu cảnh báo mạnh"}
EXPECTATIONS = {"case_opened", "verdict", "contains", "contains_any", "not_contains", "max_len", "buttons", "deleted"}
LONGEST = {"chars": 0, "where": ""}


def chat(assistant, sender, message):
    response = httpx.post(
        f"http://127.0.0.1:{assistant.ports.bot}/api/chat", json={"sender": sender, "message": message}, timeout=90,
    )
    response.raise_for_status()
    return response.json()


def open_cases(assistant, sender):
    with sqlite3.connect(assistant.data / "app.db") as app:
        key = user_key_for(sender, SECRET)
        return app.execute("select count(*) from cases where user_key = ? and closed_at is null", (key,)).fetchone()[0]


def check_turn(assistant, sender, replies, expect, where):
    text = "\n".join(r.get("text") or "" for r in replies)
    bubbles = [len(r.get("text") or "") for r in replies]
    payloads = [b.get("payload") for r in replies for b in r.get("buttons") or []]
    longest = max(bubbles, default=0)
    if longest > LONGEST["chars"]:
        LONGEST.update(chars=longest, where=where)
    unknown = set(expect) - EXPECTATIONS
    assert not unknown, f"{where}: unknown expectations {unknown}"
    assert replies, f"{where}: no reply at all"
    assert longest <= min(expect.get("max_len", PHONE_BUBBLE), PHONE_BUBBLE), f"{where}: a bubble of {longest} chars\n{text}"
    for part in expect.get("contains", []):
        assert part in text, f"{where}: {part!r} not in reply:\n{text}"
    if "contains_any" in expect:
        assert any(p in text for p in expect["contains_any"]), f"{where}: none of {expect['contains_any']} in:\n{text}"
    for part in expect.get("not_contains", []):
        assert part not in text, f"{where}: {part!r} should not be in reply:\n{text}"
    for payload in expect.get("buttons", []):
        assert payload in payloads, f"{where}: no button {payload!r} among {payloads}"
    if "verdict" in expect:
        shown = [level for level, mark in VERDICT_MARKS.items() if mark in text]
        wanted = [] if expect["verdict"] == "none" else [expect["verdict"]]
        assert shown == wanted, f"{where}: verdict {shown}, expected {wanted}:\n{text}"
    if "deleted" in expect:
        assert ("Đã xoá" in text) == expect["deleted"], f"{where}: deleted should be {expect['deleted']}:\n{text}"
    if "case_opened" in expect:
        assert (open_cases(assistant, sender) > 0) == expect["case_opened"], f"{where}: case_opened should be {expect['case_opened']}:\n{text}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_conversation(assistant, script):
    conversation = yaml.safe_load(script.read_text(encoding="utf-8"))
    sender = new_sender()
    previous = []
    for number, turn in enumerate(conversation["turns"], start=1):
        if "press" in turn:
            titles = {b["title"]: b["payload"] for r in previous for b in r.get("buttons") or []}
            assert turn["press"] in titles, f"{script.name} turn {number}: no button {turn['press']!r} in {list(titles)}"
            message = titles[turn["press"]]
        else:
            message = turn["say"]
        previous = chat(assistant, sender, message)
        check_turn(assistant, sender, previous, turn.get("expect") or {}, f"{script.name} turn {number} ({message!r})")


def test_the_suite_is_big_enough_and_reports_its_longest_bubble():
    assert len(SCRIPTS) >= 40
    assert all(len(yaml.safe_load(p.read_text(encoding="utf-8"))["turns"]) >= 2 for p in SCRIPTS)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "conversations.json").write_text(json.dumps({"scripts": len(SCRIPTS), "longest_bubble": LONGEST}, ensure_ascii=False))
