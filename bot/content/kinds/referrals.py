"""content/referrals.yml: which situation a message describes, where the person is, and what to add for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import LIST, OPTIONAL_LIST, TEXT, Problems, check_fields, items, phrases
from nlu.phrases import PhraseSet


@dataclass(frozen=True)
class ReferralSettings:
    """content/referrals.yml: which situation a message describes, and where the person is."""

    situations: tuple[tuple[str, PhraseSet], ...]
    embassies: tuple[tuple[PhraseSet, str], ...]
    abroad_places: PhraseSet
    # Facts a person in danger may add (a ransom, a taken passport): (id, phrases, advice line).
    facts: tuple[tuple[str, PhraseSet, str], ...] = ()
    # "giờ về VN rồi": said after a place abroad, the person is back home.
    back_home: PhraseSet | None = None
    # "đang ở bavet", "mới qua được 2 tuần", "muốn về": with a place abroad, the writer is there now.
    there_now: PhraseSet | None = None


REFERRAL_FIELDS = {
    "situations": LIST,
    "embassies": LIST,
    "abroad_places": LIST,
    "facts": OPTIONAL_LIST,
    "back_home": OPTIONAL_LIST,
    "there_now": OPTIONAL_LIST,
}


def read_referrals(data: Any, path: Path, problems: Problems) -> ReferralSettings | None:
    if not check_fields(data, REFERRAL_FIELDS, path, 1, problems, "tệp chuyển tuyến"):
        return None
    situations = [
        (item["id"], phrases(item["phrases"], path, problems))
        for item, line in items(data["situations"])
        if check_fields(item, {"id": TEXT, "phrases": LIST}, path, line, problems, "tình huống")
    ]
    embassies = [
        (phrases(item["place"], path, problems), item["hotline"])
        for item, line in items(data["embassies"])
        if check_fields(item, {"place": LIST, "hotline": TEXT}, path, line, problems, "đại sứ quán")
    ]
    facts = [
        (item["id"], phrases(item["phrases"], path, problems), item["advice"])
        for item, line in items(data.get("facts", []))
        if check_fields(item, {"id": TEXT, "phrases": LIST, "advice": TEXT}, path, line, problems, "tình tiết")
    ]
    back_home = phrases(data["back_home"], path, problems) if data.get("back_home") else None
    there_now = phrases(data["there_now"], path, problems) if data.get("there_now") else None
    return ReferralSettings(
        tuple(situations),
        tuple(embassies),
        phrases(data["abroad_places"], path, problems),
        tuple(facts),
        back_home,
        there_now,
    )
