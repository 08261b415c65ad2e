"""content/danger_signals.yml: the phrases that mean a person is held, hurt or asking for rescue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.schema import LIST, TEXT, Problems, check_fields, entries, phrases, unique


def read_danger_signals(data: Any, path: Path, problems: Problems) -> None:
    """Only checked here: the danger net (nlu/danger.py) reads the file itself, in every process."""
    signals: dict[str, bool] = {}
    for item, line in entries(data, "signals", path, problems):
        if check_fields(item, {"id": TEXT, "title": TEXT, "phrases": LIST}, path, line, problems, "dấu hiệu nguy hiểm"):
            if unique(item["id"], signals, path, line, problems):
                signals[item["id"]] = True
                phrases(item["phrases"], path, problems)
