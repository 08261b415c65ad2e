"""How a content file is checked: the kinds of field, the problems found, and the helpers every reader shares.

Every problem is reported as `file:line: what is wrong and how to fix it`, in
Vietnamese, because the people who read it are campaign staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.yamlfile import Mapping, Sequence
from nlu.phrases import PhraseSet


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Problems(list[Problem]):
    def __init__(self) -> None:
        super().__init__()
        # Files that could not be read at all: checks across files would only
        # repeat that mistake as a list of things "missing".
        self.unreadable: list[Path] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.append(Problem(path, line, message))


@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = True
    # A human name for the type, used in messages.
    kind_name: str = ""


TEXT = Field(str, kind_name="chữ")
OPTIONAL_TEXT = Field(str, required=False, kind_name="chữ")
LIST = Field(list, kind_name="danh sách")
OPTIONAL_LIST = Field(list, required=False, kind_name="danh sách")
DATE = Field(dt.date, kind_name="ngày dạng YYYY-MM-DD")
NUMBER = Field(float, kind_name="số")
SOURCED = {"source": TEXT, "checked": DATE}


def check_fields(item: Any, spec: dict[str, Field], path: Path, line: int, problems: Problems, what: str) -> bool:
    """Check one mapping against its fields; True when usable."""
    if not isinstance(item, Mapping):
        problems.add(path, line, f"{what} phải là một nhóm 'tên: giá trị'")
        return False
    for key, key_line in item.duplicate_keys:
        problems.add(path, key_line, f"'{key}' xuất hiện hai lần trong {what}: xoá một lần")
    usable = True
    for key in item:
        if key not in spec:
            known = ", ".join(spec)
            problems.add(path, item.line_of(key), f"trường lạ '{key}' trong {what}: các trường được dùng là {known}")
    for key, rule in spec.items():
        if key not in item or item[key] is None:
            if rule.required:
                problems.add(path, item.line, f"{what} thiếu trường '{key}' ({rule.kind_name})")
                usable = False
            continue
        value = item[key]
        ok = isinstance(value, (int, float)) if rule.kind is float else isinstance(value, rule.kind)
        if rule.kind is str and isinstance(value, str) and not value.strip():
            ok = False
        if not ok:
            problems.add(path, item.line_of(key), f"'{key}' trong {what} phải là {rule.kind_name}")
            usable = False
    return usable


def entries(data: Any, key: str, path: Path, problems: Problems) -> Iterator[tuple[Any, int]]:
    """The items of the list a file holds under `key:`, each with its line."""
    if not isinstance(data, Mapping) or not isinstance(data.get(key), Sequence):
        problems.add(path, 1, f"tệp phải có danh sách '{key}:' ở đầu")
        return
    for index, item in enumerate(data[key]):
        yield item, data[key].line_of(index)


def items(values: Any) -> Iterator[tuple[Any, int]]:
    """The items of a list field, each with its line (none when it is not a list)."""
    if isinstance(values, Sequence):
        for index, item in enumerate(values):
            yield item, values.line_of(index)


def unique(key: Any, seen: dict[str, Any], path: Path, line: int, problems: Problems) -> bool:
    if key in seen:
        problems.add(path, line, f"'id: {key}' bị trùng: mỗi mục cần một id riêng")
        return False
    return True


def phrases(values: Sequence, path: Path, problems: Problems) -> PhraseSet:
    """A list of phrases to look for; a phrase with no word in it is a problem on its line."""
    good = []
    for index, phrase in enumerate(values):
        try:
            PhraseSet([str(phrase)])
            good.append(str(phrase))
        except ValueError:
            problems.add(path, values.line_of(index), f"cụm từ '{phrase}' không có chữ nào để tìm")
    return PhraseSet(good)
