"""YAML that remembers where things are, so every mistake can name its line.

PyYAML forgets line numbers and silently keeps the last of two equal keys;
campaign staff need both: "messages/chao.yml:12: ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class Mapping(dict):
    """A YAML mapping with the line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]
    duplicate_keys: list[tuple[Any, int]]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence with the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(yaml.SafeLoader):
    """PyYAML's own parser: its error messages are the ones `_HINTS` explains."""


# libyaml's parser, where PyYAML was built with it: the same documents, the same lines, in a
# fraction of the time (content is read again on every edit, and by most tests). A file it
# refuses is read again by `_LineLoader`, so a syntax error is told in the words `_HINTS` knows.
class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines, result.duplicate_keys = {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            result.duplicate_keys.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


@dataclass
class YamlFileError(Exception):
    path: Path
    line: int
    message: str = field(default="")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


# An unquoted value followed by " #word": YAML reads the hashtag as a comment
# and silently drops it ("Trợ lý #Mắcbẫytộiphạmlừađảo" becomes "Trợ lý").
_SWALLOWED_HASHTAG = re.compile(r"""^\s*(?:- )?[\w-]+:\s+[^\s"'|>\[{#&*!%@`][^#]*\s#\w""")


def swallowed_hashtags(path: Path) -> list[int]:
    """Lines where a hashtag would vanish as a YAML comment."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [number for number, line in enumerate(lines, 1) if _SWALLOWED_HASHTAG.match(line)]


# PyYAML's most common complaints, said so that campaign staff can act on them.
_HINTS = {
    "mapping values are not allowed here": "có dấu ':' giữa câu; đặt cả câu trong ngoặc kép",
    "found character '\\t' that cannot start any token": "có ký tự Tab; thụt lề bằng dấu cách",
    "could not find expected ':'": "thiếu dấu ':' sau tên trường, hoặc thụt lề sai",
    "did not find expected key": "thụt lề sai hoặc thiếu dấu '-' trước một mục",
    "found unexpected end of stream": "thiếu dấu ngoặc kép đóng",
}


def _explain(problem: str) -> str:
    hint = next((text for english, text in _HINTS.items() if english in problem), None)
    return f"{hint} ({problem})" if hint else problem


def load(path: Path) -> Any:
    """Parse one file; a syntax error becomes a YamlFileError with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise YamlFileError(path, 1, "tệp không phải văn bản UTF-8: hãy lưu lại với mã hoá UTF-8") from None
    try:
        return yaml.load(text, Loader=_FastLineLoader)
    except yaml.YAMLError:
        pass  # said below by PyYAML's own parser
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlFileError(path, line, f"lỗi cú pháp YAML: {_explain(str(error.problem or error))}") from None
