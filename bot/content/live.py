"""Content that follows the files: a saved edit is live on the next message.

Checking a few dozen file times is cheap, so it happens on use, at most once a
second, instead of in a watcher thread. A version with problems is never
served: the last good one stays, and each problem is logged with its line.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from bot.content.render import Templates, load_templates
from bot.content.schema import Problems

logger = logging.getLogger(__name__)
RECHECK_SECONDS = 1.0


class ContentUnusable(RuntimeError):
    """There is no good version of the content to serve at all."""


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.rglob("*.yml")))


class LiveContent:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._fingerprint = _fingerprint(self.directory)
        templates, problems = load_templates(self.directory)
        if problems:
            raise ContentUnusable("\n".join(str(p) for p in problems))
        self._templates = templates
        self.last_problems: Problems = Problems()

    @property
    def templates(self) -> Templates:
        self._reload_if_changed()
        return self._templates

    def _reload_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < RECHECK_SECONDS:
            return
        with self._lock:
            self._checked_at = now
            fingerprint = _fingerprint(self.directory)
            if fingerprint == self._fingerprint:
                return
            self._fingerprint = fingerprint
            templates, problems = load_templates(self.directory)
            self.last_problems = problems
            if problems:
                for problem in problems:
                    logger.error("content not reloaded, still serving the last good version: %s", problem)
                return
            self._templates = templates
            logger.info("content reloaded from %s", self.directory)
