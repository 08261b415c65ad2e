"""The danger net: phrases that mean a person is held, hurt or asking for rescue.

It does not depend on the classifier's confidence: the Rasa component
`nlu.components.DangerSignalOverride` and `bot/` both ask it directly. The
phrases live in `content/danger_signals.yml`, owned by campaign staff; a saved
change is picked up without restarting, and a broken file keeps the last good
phrases in use.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.normalise import normalise_with_origin
from nlu.phrases import PhraseSet

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIGNALS_FILE = PROJECT_ROOT / "content" / "danger_signals.yml"
RECHECK_SECONDS = 2.0


@dataclass(frozen=True)
class DangerSignal:
    id: str
    title: str
    phrases: PhraseSet


@dataclass(frozen=True)
class DangerMatch:
    signal_id: str
    quote: str


def load_signals(path: Path) -> tuple[DangerSignal, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(DangerSignal(entry["id"], entry["title"], PhraseSet(entry["phrases"])) for entry in data["signals"])


def signals_path(configured: Path) -> Path:
    """Where the signals are read from: a file of content/ is read from CONTENT_DIR when that is set,
    like every other reader of content/; any other relative path is the project's."""
    absolute = PROJECT_ROOT / configured
    content_dir = os.environ.get("CONTENT_DIR")
    default_content = PROJECT_ROOT / "content"
    if content_dir and absolute.is_relative_to(default_content):
        return Path(content_dir) / absolute.relative_to(default_content)
    return absolute


class DangerNet:
    def __init__(self, path: Path = DEFAULT_SIGNALS_FILE) -> None:
        self.path = signals_path(path)
        self._signals: tuple[DangerSignal, ...] = load_signals(self.path)
        self._mtime = self._current_mtime()
        self._checked_at = time.monotonic()

    def _current_mtime(self) -> float | None:
        try:
            return os.stat(self.path).st_mtime
        except OSError:
            return None

    def _reload_if_changed(self) -> None:
        if time.monotonic() - self._checked_at < RECHECK_SECONDS:
            return
        self._checked_at = time.monotonic()
        mtime = self._current_mtime()
        if mtime is None or mtime == self._mtime:
            return
        self._mtime = mtime
        try:
            self._signals = load_signals(self.path)
        except Exception as error:  # a half-saved or broken file must not stop the net
            logger.error("%s: kept the previous danger signals: %s", self.path, error)

    def find(self, text: str) -> list[DangerMatch]:
        self._reload_if_changed()
        normalised = normalise_with_origin(text)
        return [
            DangerMatch(signal.id, match.quote) for signal in self._signals for match in signal.phrases.find(normalised)
        ]
