"""content/messages/*.yml: what the assistant says, one `utter_...` message each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import OPTIONAL_LIST, TEXT, Problems, check_fields
from bot.content.yamlfile import Mapping, Sequence


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class MessageDef:
    name: str
    text: str
    buttons: tuple[Button, ...]
    variables: tuple[str, ...]
    path: Path
    line: int


MESSAGE_FIELDS = {"text": TEXT, "buttons": OPTIONAL_LIST, "variables": OPTIONAL_LIST}
BUTTON_FIELDS = {"title": TEXT, "payload": TEXT}


def read_messages(data: Any, path: Path, problems: Problems, messages: dict[str, MessageDef]) -> None:
    """Adds this file's messages to `messages`, those of the files read before."""
    if not isinstance(data, Mapping):
        problems.add(path, 1, "tệp tin nhắn phải là các mục 'utter_tên: ...'")
        return
    for key, line in data.duplicate_keys:
        problems.add(path, line, f"tin nhắn '{key}' được viết hai lần trong tệp: xoá một lần")
    for name, item in data.items():
        line = data.line_of(name)
        if not str(name).startswith("utter_"):
            problems.add(path, line, f"tên tin nhắn '{name}' phải bắt đầu bằng 'utter_'")
            continue
        if name in messages:
            other = messages[name]
            problems.add(path, line, f"tin nhắn '{name}' đã có ở {other.path}:{other.line}: đổi tên hoặc xoá một bản")
            continue
        if not check_fields(item, MESSAGE_FIELDS, path, line, problems, f"tin nhắn '{name}'"):
            continue
        buttons = _read_buttons(item.get("buttons") or Sequence(), path, problems, name)
        variables = tuple(str(v) for v in item.get("variables") or ())
        messages[name] = MessageDef(name, item["text"], buttons, variables, path, line)


def _read_buttons(items: Sequence, path: Path, problems: Problems, name: str) -> tuple[Button, ...]:
    buttons = []
    for index, button in enumerate(items):
        if check_fields(button, BUTTON_FIELDS, path, items.line_of(index), problems, f"nút của '{name}'"):
            buttons.append(Button(button["title"], button["payload"]))
    return tuple(buttons)
