"""content/hotlines.yml: the verified numbers the assistant may give."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import OPTIONAL_TEXT, SOURCED, TEXT, Problems, check_fields, entries, unique


@dataclass(frozen=True)
class Hotline:
    id: str
    name: str
    number: str
    dial: str
    purpose: str
    hours: str
    cost: str
    source: str
    checked: dt.date
    email: str | None = None


HOTLINE_FIELDS = {
    "id": TEXT,
    "name": TEXT,
    "number": TEXT,
    "dial": OPTIONAL_TEXT,
    "purpose": TEXT,
    "hours": TEXT,
    "cost": TEXT,
    "email": OPTIONAL_TEXT,
    **SOURCED,
}


def read_hotlines(data: Any, path: Path, problems: Problems) -> dict[str, Hotline]:
    hotlines: dict[str, Hotline] = {}
    for item, line in entries(data, "hotlines", path, problems):
        if check_fields(item, HOTLINE_FIELDS, path, line, problems, f"đường dây '{item.get('id', '?')}'"):
            if unique(item["id"], hotlines, path, line, problems):
                if item.get("dial") and not all(c.isdigit() or c == "+" for c in item["dial"]):
                    problems.add(
                        path, item.line_of("dial"), "'dial' chỉ gồm chữ số và dấu + (số để bấm gọi, không có dấu cách)"
                    )
                hotlines[item["id"]] = Hotline(**{k: item.get(k) for k in HOTLINE_FIELDS})
    return hotlines
