"""content/handoff.yml: how a hand-off to hotline staff runs (hours, questions, outcomes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import LIST, NUMBER, OPTIONAL_LIST, TEXT, Field, Problems, check_fields, items, phrases
from nlu.phrases import PhraseSet

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class HandoffQuestion:
    id: str
    label: str  # what staff see beside the answer
    # Answers meaning "someone may be reading": the assistant stops asking and keeps it short.
    unsafe_answers: PhraseSet | None = None

    @property
    def response(self) -> str:
        return f"utter_handoff_ask_{self.id}"


@dataclass(frozen=True)
class HandoffSettings:
    """content/handoff.yml: how a hand-off to hotline staff runs."""

    claim_minutes: float
    staffed_days: tuple[int, ...]  # Monday is 0, as datetime.weekday()
    staffed_from: dt.time
    staffed_to: dt.time
    end_words: PhraseSet
    skip_words: PhraseSet
    questions: tuple[HandoffQuestion, ...]
    outcomes: dict[str, str]
    # What staff read in the transcript when the user sent a screenshot (never the "/check_job_offer" Rasa got).
    screenshot_label: str = ""


HANDOFF_FIELDS = {
    "claim_minutes": NUMBER,
    "staffed_hours": Field(dict, kind_name="nhóm days/from/to"),
    "end_words": LIST,
    "skip_words": LIST,
    "questions": LIST,
    "outcomes": LIST,
    "screenshot_label": TEXT,
}
HOURS_FIELDS = {"days": LIST, "from": TEXT, "to": TEXT}
HANDOFF_QUESTION_FIELDS = {"id": TEXT, "label": TEXT, "unsafe_answers": OPTIONAL_LIST}


def read_handoff(data: Any, path: Path, problems: Problems) -> HandoffSettings | None:
    if not check_fields(data, HANDOFF_FIELDS, path, 1, problems, "tệp chuyển cán bộ"):
        return None
    hours = data["staffed_hours"]
    line = data.line_of("staffed_hours")
    if not check_fields(hours, HOURS_FIELDS, path, line, problems, "staffed_hours"):
        return None
    unknown_days = [d for d in hours["days"] if d not in WEEKDAYS]
    if unknown_days:
        problems.add(path, hours.line_of("days"), f"ngày không hiểu: {unknown_days}; dùng {', '.join(WEEKDAYS)}")
    staffed_from, staffed_to = (_clock(hours, key, path, problems) for key in ("from", "to"))
    questions = tuple(
        HandoffQuestion(
            item["id"],
            item["label"],
            phrases(item["unsafe_answers"], path, problems) if "unsafe_answers" in item else None,
        )
        for item, item_line in items(data["questions"])
        if check_fields(item, HANDOFF_QUESTION_FIELDS, path, item_line, problems, "câu hỏi")
    )
    outcomes = {
        item["id"]: item["label"]
        for item, item_line in items(data["outcomes"])
        if check_fields(item, {"id": TEXT, "label": TEXT}, path, item_line, problems, "kết quả")
    }
    if staffed_from is None or staffed_to is None or unknown_days:
        return None
    return HandoffSettings(
        float(data["claim_minutes"]),
        tuple(WEEKDAYS.index(d) for d in hours["days"]),
        staffed_from,
        staffed_to,
        phrases(data["end_words"], path, problems),
        phrases(data["skip_words"], path, problems),
        questions,
        outcomes,
        data["screenshot_label"],
    )


def _clock(hours: Any, key: str, path: Path, problems: Problems) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(hours[key]))
    except ValueError:
        problems.add(path, hours.line_of(key), f"'{key}' phải là giờ dạng HH:MM, ví dụ \"07:30\"")
        return None
