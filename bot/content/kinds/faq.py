"""content/faq.yml: questions people ask, with the answer and where it comes from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import LIST, SOURCED, TEXT, Problems, check_fields, entries, phrases, unique
from nlu.phrases import PhraseSet


@dataclass(frozen=True)
class FaqTopic:
    id: str
    question: str
    keywords: PhraseSet
    answer: str
    source: str
    checked: dt.date
    path: Path
    line: int


FAQ_FIELDS = {"id": TEXT, "question": TEXT, "keywords": LIST, "answer": TEXT, **SOURCED}


def read_faq(data: Any, path: Path, problems: Problems) -> dict[str, FaqTopic]:
    faq: dict[str, FaqTopic] = {}
    for item, line in entries(data, "topics", path, problems):
        if check_fields(item, FAQ_FIELDS, path, line, problems, f"câu hỏi '{item.get('id', '?')}'"):
            if unique(item["id"], faq, path, line, problems):
                keywords = phrases(item["keywords"], path, problems)
                faq[item["id"]] = FaqTopic(
                    item["id"],
                    item["question"],
                    keywords,
                    item["answer"],
                    item["source"],
                    item["checked"],
                    path,
                    item.line_of("answer"),
                )
    return faq
