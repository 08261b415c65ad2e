"""content/webchat.yml: the words of the local web chat page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.schema import TEXT, Problems, check_fields

WEBCHAT_FIELDS = {
    "title": TEXT,
    "subtitle": TEXT,
    "placeholder": TEXT,
    "send": TEXT,
    "unavailable": TEXT,
    "too_long": TEXT,
    "attach": TEXT,
    "image_sent": TEXT,
    "too_fast": TEXT,
    "image_refused": TEXT,
}


def read_webchat(data: Any, path: Path, problems: Problems) -> dict[str, str]:
    if not check_fields(data, WEBCHAT_FIELDS, path, 1, problems, "trang chat thử"):
        return {}
    return {k: data[k] for k in WEBCHAT_FIELDS}
