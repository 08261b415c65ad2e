"""content/warning_signs.yml: the signs of a lure the offer checker looks for, and how much each weighs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import (
    LIST,
    NUMBER,
    OPTIONAL_LIST,
    TEXT,
    Problems,
    check_fields,
    entries,
    items,
    phrases,
    unique,
)
from bot.content.yamlfile import Sequence
from nlu.phrases import PhraseSet


@dataclass(frozen=True)
class NearbyPatterns:
    """Phrases that count only with one of `near` in the same sentence ("nhiệm vụ" near "hoa hồng")."""

    patterns: PhraseSet
    near: PhraseSet


@dataclass(frozen=True)
class WarningSign:
    id: str
    title: str
    explanation: str
    advice: str
    weight: float
    patterns: PhraseSet
    source: str
    patterns_near: tuple[NearbyPatterns, ...] = ()


SIGN_FIELDS = {
    "id": TEXT,
    "title": TEXT,
    "explanation": TEXT,
    "advice": TEXT,
    "weight": NUMBER,
    "patterns": LIST,
    "source": TEXT,
    "patterns_near": OPTIONAL_LIST,
}
NEAR_FIELDS = {"patterns": LIST, "near": LIST}


def read_signs(data: Any, path: Path, problems: Problems) -> dict[str, WarningSign]:
    signs: dict[str, WarningSign] = {}
    for item, line in entries(data, "signs", path, problems):
        if check_fields(item, SIGN_FIELDS, path, line, problems, f"dấu hiệu '{item.get('id', '?')}'"):
            if unique(item["id"], signs, path, line, problems):
                near = tuple(
                    NearbyPatterns(phrases(group["patterns"], path, problems), phrases(group["near"], path, problems))
                    for group, group_line in items(item.get("patterns_near") or Sequence())
                    if check_fields(
                        group, NEAR_FIELDS, path, group_line, problems, f"'patterns_near' của '{item['id']}'"
                    )
                )
                signs[item["id"]] = WarningSign(
                    item["id"],
                    item["title"],
                    item["explanation"],
                    item["advice"],
                    float(item["weight"]),
                    phrases(item["patterns"], path, problems),
                    item["source"],
                    near,
                )
    return signs
