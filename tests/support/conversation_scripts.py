"""Reading and checking the conversation scripts (tests/conversations/*.yml); used on the web chat and on a platform."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent / "conversations"
SCRIPTS = sorted(HERE.glob("*.yml"))
PHONE_BUBBLE = 1000  # no bubble over this, on any turn of any conversation
VERDICT_MARKS = {"high": "Nguy cơ CAO", "medium": "Nguy cơ VỪA", "low": "không thấy dấu hiệu cảnh báo mạnh"}
EXPECTATIONS = {"case_opened", "verdict", "contains", "contains_any", "not_contains", "max_len", "buttons", "deleted"}
LONGEST = {"chars": 0, "where": ""}
BUBBLES: list[int] = []  # every bubble's length, for the share that stays under 600


def load(script: Path) -> dict:
    return yaml.safe_load(script.read_text(encoding="utf-8"))


def typed_only(script: Path) -> bool:
    """A script with no button payloads or presses: what a platform user can type as it is."""
    return all("say" in turn and not turn["say"].startswith("/") for turn in load(script)["turns"])


def open_cases(database: Path, user_key: str) -> int:
    with sqlite3.connect(database) as app:
        return app.execute(
            "select count(*) from cases where user_key = ? and closed_at is null", (user_key,)
        ).fetchone()[0]


def check_turn(replies: list[dict], expect: dict, where: str, cases_open: Callable[[], int]) -> None:
    """`replies` as the web chat gets them: [{"text": ..., "buttons": [{"payload": ...}]}]."""
    text = "\n".join(r.get("text") or "" for r in replies)
    bubbles = [len(r.get("text") or "") for r in replies]
    payloads = [b.get("payload") for r in replies for b in r.get("buttons") or []]
    longest = max(bubbles, default=0)
    BUBBLES.extend(bubbles)
    if longest > LONGEST["chars"]:
        LONGEST.update(chars=longest, where=where)
    unknown = set(expect) - EXPECTATIONS
    assert not unknown, f"{where}: unknown expectations {unknown}"
    assert replies, f"{where}: no reply at all"
    assert longest <= min(expect.get("max_len", PHONE_BUBBLE), PHONE_BUBBLE), (
        f"{where}: a bubble of {longest} chars\n{text}"
    )
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
        assert (cases_open() > 0) == expect["case_opened"], (
            f"{where}: case_opened should be {expect['case_opened']}:\n{text}"
        )
