"""Reading a content directory: which kind of file is where, and the one `Content` they make together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.kinds.danger_signals import read_danger_signals
from bot.content.kinds.faq import FaqTopic, read_faq
from bot.content.kinds.handoff import HandoffSettings, read_handoff
from bot.content.kinds.hotlines import Hotline, read_hotlines
from bot.content.kinds.messages import MessageDef, read_messages
from bot.content.kinds.offer_checker import OfferSettings, read_offer_checker
from bot.content.kinds.places_vn import read_places_vn
from bot.content.kinds.quizzes import Quiz, read_quiz
from bot.content.kinds.referrals import ReferralSettings, read_referrals
from bot.content.kinds.warning_signs import WarningSign, read_signs
from bot.content.kinds.webchat import read_webchat
from bot.content.schema import Problems
from bot.content.yamlfile import YamlFileError, load, swallowed_hashtags
from nlu.phrases import PhraseSet


@dataclass
class Content:
    messages: dict[str, MessageDef] = field(default_factory=dict)
    hotlines: dict[str, Hotline] = field(default_factory=dict)
    faq: dict[str, FaqTopic] = field(default_factory=dict)
    signs: dict[str, WarningSign] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    webchat: dict[str, str] = field(default_factory=dict)
    offer_settings: OfferSettings | None = None
    # content/places_vn.yml: Vietnamese places and common words that fold into a country's name.
    not_abroad: PhraseSet | None = None
    referrals: ReferralSettings | None = None
    handoff: HandoffSettings | None = None


# Folders whose every file adds to one kind, and the files that are a kind each.
FOLDERS = ("messages", "quizzes")
FILES = (
    "hotlines.yml",
    "faq.yml",
    "warning_signs.yml",
    "danger_signals.yml",
    "webchat.yml",
    "offer_checker.yml",
    "places_vn.yml",
    "referrals.yml",
    "handoff.yml",
)


def kind_of(relative: Path) -> str | None:
    """Which kind of content a file under content/ holds, by where it is (a folder, or its own name)."""
    if len(relative.parts) > 1:
        return relative.parts[0] if relative.parts[0] in FOLDERS else None
    return relative.name if relative.name in FILES else None


def read_kind(kind: str, data: Any, path: Path, content: Content, problems: Problems) -> None:
    """Read one file of `kind` into its part of `content`."""
    match kind:
        case "messages":
            read_messages(data, path, problems, content.messages)
        case "quizzes":
            read_quiz(data, path, problems, content.quizzes)
        case "hotlines.yml":
            content.hotlines = read_hotlines(data, path, problems)
        case "faq.yml":
            content.faq = read_faq(data, path, problems)
        case "warning_signs.yml":
            content.signs = read_signs(data, path, problems)
        case "danger_signals.yml":
            read_danger_signals(data, path, problems)
        case "webchat.yml":
            content.webchat = read_webchat(data, path, problems)
        case "offer_checker.yml":
            content.offer_settings = read_offer_checker(data, path, problems)
        case "places_vn.yml":
            content.not_abroad = read_places_vn(data, path, problems)
        case "referrals.yml":
            content.referrals = read_referrals(data, path, problems)
        case "handoff.yml":
            content.handoff = read_handoff(data, path, problems)
        case _:
            raise ValueError(f"no reader for {kind}")


def read_content(directory: Path) -> tuple[Content, Problems]:
    """Read every content file; the problems say what to fix, file by file."""
    content, problems = Content(), Problems()
    for path in sorted(directory.rglob("*.yml")):
        kind = kind_of(path.relative_to(directory))
        if kind is None:
            problems.add(path, 1, "không biết tệp này dùng để làm gì: đặt nó vào messages/ hoặc quizzes/, hoặc đổi tên")
            continue
        try:
            data = load(path)
        except YamlFileError as error:
            problems.add(error.path, error.line, error.message)
            problems.unreadable.append(path)
            continue
        for line in swallowed_hashtags(path):
            problems.add(
                path, line, "phần từ dấu # trở đi sẽ bị bỏ mất (YAML coi là ghi chú): đặt cả câu trong ngoặc kép"
            )
        read_kind(kind, data, path, content, problems)
    return content, problems
