"""content/places_vn.yml: Vietnamese places and common words that fold into a country's name ("Lào Cai", "giải lao")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.schema import LIST, SOURCED, Problems, check_fields, phrases
from nlu.phrases import PhraseSet

PLACES_VN_FIELDS = {"provinces": LIST, "districts": LIST, "common_words": LIST, **SOURCED}


def read_places_vn(data: Any, path: Path, problems: Problems) -> PhraseSet | None:
    """The phrases that are not abroad, whatever country name they fold into."""
    if not check_fields(data, PLACES_VN_FIELDS, path, 1, problems, "danh sách địa danh Việt Nam"):
        return None
    keys = ("provinces", "districts", "common_words")
    checked = [phrases(data[key], path, problems) for key in keys]
    return PhraseSet([p for found in checked for p in found.phrases], negatable=False)
