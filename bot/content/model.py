"""What campaign staff write in content/, read into plain objects and checked.

Every problem is reported as `file:line: what is wrong and how to fix it`, in
Vietnamese, because the people who read it are campaign staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.yamlfile import Mapping, Sequence, YamlFileError, load, swallowed_hashtags
from nlu.phrases import PhraseSet


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Problems(list[Problem]):
    def __init__(self) -> None:
        super().__init__()
        # Files that could not be read at all: checks across files would only
        # repeat that mistake as a list of things "missing".
        self.unreadable: list[Path] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.append(Problem(path, line, message))


@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = True
    # A human name for the type, used in messages.
    kind_name: str = ""


TEXT = Field(str, kind_name="chữ")
OPTIONAL_TEXT = Field(str, required=False, kind_name="chữ")
LIST = Field(list, kind_name="danh sách")
OPTIONAL_LIST = Field(list, required=False, kind_name="danh sách")
DATE = Field(dt.date, kind_name="ngày dạng YYYY-MM-DD")
NUMBER = Field(float, kind_name="số")


def check_fields(item: Any, spec: dict[str, Field], path: Path, line: int, problems: Problems, what: str) -> bool:
    """Check one mapping against its fields; True when usable."""
    if not isinstance(item, Mapping):
        problems.add(path, line, f"{what} phải là một nhóm 'tên: giá trị'")
        return False
    for key, key_line in item.duplicate_keys:
        problems.add(path, key_line, f"'{key}' xuất hiện hai lần trong {what}: xoá một lần")
    usable = True
    for key in item:
        if key not in spec:
            known = ", ".join(spec)
            problems.add(path, item.line_of(key), f"trường lạ '{key}' trong {what}: các trường được dùng là {known}")
    for key, rule in spec.items():
        if key not in item or item[key] is None:
            if rule.required:
                problems.add(path, item.line, f"{what} thiếu trường '{key}' ({rule.kind_name})")
                usable = False
            continue
        value = item[key]
        ok = isinstance(value, (int, float)) if rule.kind is float else isinstance(value, rule.kind)
        if rule.kind is str and isinstance(value, str) and not value.strip():
            ok = False
        if not ok:
            problems.add(path, item.line_of(key), f"'{key}' trong {what} phải là {rule.kind_name}")
            usable = False
    return usable


SOURCED = {"source": TEXT, "checked": DATE}


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


@dataclass(frozen=True)
class Hotline:
    id: str
    name: str
    number: str
    dial: str
    purpose: str
    hours: str
    cost: str
    source: str
    checked: dt.date
    email: str | None = None


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


@dataclass(frozen=True)
class NearbyPatterns:
    """Phrases that count only with one of `near` in the same sentence ("nhiệm vụ" near "hoa hồng")."""

    patterns: PhraseSet
    near: PhraseSet


@dataclass(frozen=True)
class WarningSign:
    id: str
    title: str
    explanation: str
    advice: str
    weight: float
    patterns: PhraseSet
    source: str
    patterns_near: tuple[NearbyPatterns, ...] = ()


@dataclass(frozen=True)
class Reassurance:
    id: str
    title: str
    weight: float
    patterns: PhraseSet


@dataclass(frozen=True)
class Combination:
    signs: tuple[str, ...]
    bonus: float


@dataclass(frozen=True)
class FollowUpQuestion:
    id: str
    unless: str
    text: str
    effects: dict[str, float]


@dataclass(frozen=True)
class OfferSettings:
    """content/offer_checker.yml: thresholds and word lists of the offer checker."""

    high: float
    medium: float
    minimum_words: int
    minimum_words_without_terms: int
    pay: dict[str, float]
    exchange: dict[str, float]
    places: dict[str, PhraseSet]
    going_words: tuple[str, ...]
    abroad_words: PhraseSet
    past_words: PhraseSet
    jobs: dict[str, PhraseSet]
    brands: PhraseSet
    brand_claim_before: PhraseSet
    brand_claim_after: PhraseSet
    slang_places: PhraseSet
    never_below_medium: tuple[str, ...]
    fee_words: PhraseSet
    fee_waivers: PhraseSet
    foreign_phone_codes: tuple[str, ...]
    offer_words: PhraseSet
    pay_words: PhraseSet
    not_pay_words: PhraseSet
    reassurances: tuple[Reassurance, ...]
    combinations: tuple[Combination, ...]
    max_questions: int
    questions: tuple[FollowUpQuestion, ...]


@dataclass(frozen=True)
class QuizOption:
    id: str
    text: str


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    text: str
    options: tuple[QuizOption, ...]
    answer: str
    explanation: str
    source: str

    def option(self, option_id: str) -> QuizOption:
        return next(o for o in self.options if o.id == option_id)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    button: str
    intro: str
    questions: tuple[QuizQuestion, ...]
    path: Path | None = None
    line: int = 1

    def question(self, question_id: str) -> QuizQuestion:
        return next(q for q in self.questions if q.id == question_id)


@dataclass(frozen=True)
class ReferralSettings:
    """content/referrals.yml: which situation a message describes, and where the person is."""

    situations: tuple[tuple[str, PhraseSet], ...]
    embassies: tuple[tuple[PhraseSet, str], ...]
    abroad_places: PhraseSet
    # Facts a person in danger may add (a ransom, a taken passport): (id, phrases, advice line).
    facts: tuple[tuple[str, PhraseSet, str], ...] = ()


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


# --- readers, one per kind of file -------------------------------------------------

MESSAGE_FIELDS = {"text": TEXT, "buttons": OPTIONAL_LIST, "variables": OPTIONAL_LIST}
BUTTON_FIELDS = {"title": TEXT, "payload": TEXT}


def read_messages(data: Any, path: Path, content: Content, problems: Problems) -> None:
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
        if name in content.messages:
            other = content.messages[name]
            problems.add(path, line, f"tin nhắn '{name}' đã có ở {other.path}:{other.line}: đổi tên hoặc xoá một bản")
            continue
        if not check_fields(item, MESSAGE_FIELDS, path, line, problems, f"tin nhắn '{name}'"):
            continue
        buttons = _read_buttons(item.get("buttons") or Sequence(), path, problems, name)
        variables = tuple(str(v) for v in item.get("variables") or ())
        content.messages[name] = MessageDef(name, item["text"], buttons, variables, path, line)


def _read_buttons(items: Sequence, path: Path, problems: Problems, name: str) -> tuple[Button, ...]:
    buttons = []
    for index, button in enumerate(items):
        if check_fields(button, BUTTON_FIELDS, path, items.line_of(index), problems, f"nút của '{name}'"):
            buttons.append(Button(button["title"], button["payload"]))
    return tuple(buttons)


HOTLINE_FIELDS = {
    "id": TEXT,
    "name": TEXT,
    "number": TEXT,
    "dial": OPTIONAL_TEXT,
    "purpose": TEXT,
    "hours": TEXT,
    "cost": TEXT,
    "email": OPTIONAL_TEXT,
    **SOURCED,
}


def read_hotlines(data: Any, path: Path, content: Content, problems: Problems) -> None:
    for item, line in _entries(data, "hotlines", path, problems):
        if check_fields(item, HOTLINE_FIELDS, path, line, problems, f"đường dây '{item.get('id', '?')}'"):
            if _unique(item["id"], content.hotlines, path, line, problems):
                if item.get("dial") and not all(c.isdigit() or c == "+" for c in item["dial"]):
                    problems.add(
                        path, item.line_of("dial"), "'dial' chỉ gồm chữ số và dấu + (số để bấm gọi, không có dấu cách)"
                    )
                content.hotlines[item["id"]] = Hotline(**{k: item.get(k) for k in HOTLINE_FIELDS})


FAQ_FIELDS = {"id": TEXT, "question": TEXT, "keywords": LIST, "answer": TEXT, **SOURCED}


def read_faq(data: Any, path: Path, content: Content, problems: Problems) -> None:
    for item, line in _entries(data, "topics", path, problems):
        if check_fields(item, FAQ_FIELDS, path, line, problems, f"câu hỏi '{item.get('id', '?')}'"):
            if _unique(item["id"], content.faq, path, line, problems):
                keywords = _phrases(item["keywords"], path, problems)
                content.faq[item["id"]] = FaqTopic(
                    item["id"],
                    item["question"],
                    keywords,
                    item["answer"],
                    item["source"],
                    item["checked"],
                    path,
                    item.line_of("answer"),
                )


SIGN_FIELDS = {
    "id": TEXT,
    "title": TEXT,
    "explanation": TEXT,
    "advice": TEXT,
    "weight": NUMBER,
    "patterns": LIST,
    "source": TEXT,
    "patterns_near": OPTIONAL_LIST,
}
NEAR_FIELDS = {"patterns": LIST, "near": LIST}


def read_signs(data: Any, path: Path, content: Content, problems: Problems) -> None:
    for item, line in _entries(data, "signs", path, problems):
        if check_fields(item, SIGN_FIELDS, path, line, problems, f"dấu hiệu '{item.get('id', '?')}'"):
            if _unique(item["id"], content.signs, path, line, problems):
                near = tuple(
                    NearbyPatterns(_phrases(group["patterns"], path, problems), _phrases(group["near"], path, problems))
                    for group, group_line in _items(item.get("patterns_near") or Sequence())
                    if check_fields(
                        group, NEAR_FIELDS, path, group_line, problems, f"'patterns_near' của '{item['id']}'"
                    )
                )
                content.signs[item["id"]] = WarningSign(
                    item["id"],
                    item["title"],
                    item["explanation"],
                    item["advice"],
                    float(item["weight"]),
                    _phrases(item["patterns"], path, problems),
                    item["source"],
                    near,
                )


PLACES_VN_FIELDS = {"provinces": LIST, "districts": LIST, "common_words": LIST, **SOURCED}


def read_places_vn(data: Any, path: Path, content: Content, problems: Problems) -> None:
    if check_fields(data, PLACES_VN_FIELDS, path, 1, problems, "danh sách địa danh Việt Nam"):
        keys = ("provinces", "districts", "common_words")
        checked = [_phrases(data[key], path, problems) for key in keys]
        content.not_abroad = PhraseSet([p for phrases in checked for p in phrases.phrases], negatable=False)


OFFER_FIELDS = {
    "risk_levels": Field(dict, kind_name="nhóm high/medium"),
    "minimum_words": NUMBER,
    "minimum_words_without_terms": NUMBER,
    "pay": Field(dict, kind_name="nhóm mức lương"),
    "exchange": Field(dict, kind_name="nhóm tỷ giá"),
    "places": Field(dict, kind_name="nhóm nơi làm"),
    "jobs": Field(dict, kind_name="nhóm loại việc"),
    "brands": LIST,
    "brand_claim_before": LIST,
    "brand_claim_after": LIST,
    "never_below_medium": LIST,
    "fee_words": LIST,
    "fee_waivers": LIST,
    "foreign_phone_codes": LIST,
    "offer_words": LIST,
    "pay_words": LIST,
    "not_pay_words": LIST,
    "reassurances": LIST,
    "combinations": LIST,
    "max_questions": NUMBER,
    "questions": LIST,
}
PLACE_FIELDS = {
    "risky": LIST,
    "transit": LIST,
    "labour_export": LIST,
    "slang": LIST,
    "going_words": LIST,
    "abroad_words": LIST,
    "past_words": LIST,
}
EXCHANGE_FIELDS = {"usd": NUMBER, "yen": NUMBER, "eur": NUMBER, "gbp": NUMBER, **SOURCED}
REASSURANCE_FIELDS = {"id": TEXT, "title": TEXT, "weight": NUMBER, "patterns": LIST}
COMBINATION_FIELDS = {"signs": LIST, "bonus": NUMBER}
# Keys are if_yes/if_no: bare yes/no are booleans in YAML 1.1.
QUESTION_EFFECTS = ("yes", "no", "unknown")
FOLLOW_UP_FIELDS = {"id": TEXT, "unless": TEXT, "text": TEXT, **{f"if_{k}": NUMBER for k in QUESTION_EFFECTS}}


def read_offer_checker(data: Any, path: Path, content: Content, problems: Problems) -> None:
    what = "cài đặt trình kiểm tra tin"
    if not check_fields(data, OFFER_FIELDS, path, 1, problems, what):
        return
    places, levels = data["places"], data["risk_levels"]
    usable = check_fields(places, PLACE_FIELDS, path, data.line_of("places"), problems, "'places'")
    usable &= check_fields(data["exchange"], EXCHANGE_FIELDS, path, data.line_of("exchange"), problems, "'exchange'")
    usable &= check_fields(
        levels, {"high": NUMBER, "medium": NUMBER}, path, data.line_of("risk_levels"), problems, "'risk_levels'"
    )
    reassurances = [
        Reassurance(r["id"], r["title"], float(r["weight"]), _phrases(r["patterns"], path, problems))
        for r, line in _items(data["reassurances"])
        if check_fields(r, REASSURANCE_FIELDS, path, line, problems, "'reassurances'")
    ]
    combinations = [
        Combination(tuple(c["signs"]), float(c["bonus"]))
        for c, line in _items(data["combinations"])
        if check_fields(c, COMBINATION_FIELDS, path, line, problems, "'combinations'")
    ]
    questions = [
        FollowUpQuestion(q["id"], q["unless"], q["text"], {k: float(q[f"if_{k}"]) for k in QUESTION_EFFECTS})
        for q, line in _items(data["questions"])
        if check_fields(q, FOLLOW_UP_FIELDS, path, line, problems, "câu hỏi thêm")
    ]
    if not usable:
        return
    content.offer_settings = OfferSettings(
        high=float(levels["high"]),
        medium=float(levels["medium"]),
        minimum_words=int(data["minimum_words"]),
        minimum_words_without_terms=int(data["minimum_words_without_terms"]),
        pay={k: float(v) for k, v in data["pay"].items()},
        exchange={k: float(data["exchange"][k]) for k in ("usd", "yen", "eur", "gbp")},
        places={k: _phrases(places[k], path, problems) for k in ("risky", "transit", "labour_export")},
        going_words=tuple(str(w) for w in places["going_words"]),
        abroad_words=_phrases(places["abroad_words"], path, problems),
        past_words=_phrases(places["past_words"], path, problems),
        jobs={k: _phrases(v, path, problems) for k, v in data["jobs"].items()},
        brands=_phrases(data["brands"], path, problems),
        brand_claim_before=_phrases(data["brand_claim_before"], path, problems),
        brand_claim_after=_phrases(data["brand_claim_after"], path, problems),
        slang_places=_phrases(places["slang"], path, problems),
        never_below_medium=tuple(str(s) for s in data["never_below_medium"]),
        fee_words=_phrases(data["fee_words"], path, problems),
        fee_waivers=PhraseSet(_phrases(data["fee_waivers"], path, problems).phrases, negatable=False),
        foreign_phone_codes=tuple(str(c) for c in data["foreign_phone_codes"]),
        offer_words=_phrases(data["offer_words"], path, problems),
        pay_words=_phrases(data["pay_words"], path, problems),
        not_pay_words=_phrases(data["not_pay_words"], path, problems),
        reassurances=tuple(reassurances),
        combinations=tuple(combinations),
        max_questions=int(data["max_questions"]),
        questions=tuple(questions),
    )


def _items(items: Any):
    if isinstance(items, Sequence):
        for index, item in enumerate(items):
            yield item, items.line_of(index)


QUIZ_FIELDS = {"id": TEXT, "title": TEXT, "button": TEXT, "intro": TEXT, "questions": LIST}
QUESTION_FIELDS = {"id": TEXT, "question": TEXT, "options": LIST, "answer": TEXT, "explanation": TEXT, **SOURCED}
OPTION_FIELDS = {"id": TEXT, "text": TEXT}


def read_quiz(data: Any, path: Path, content: Content, problems: Problems) -> None:
    if not check_fields(data, QUIZ_FIELDS, path, 1, problems, "bộ quiz"):
        return
    if not _unique(data["id"], content.quizzes, path, data.line_of("id"), problems):
        return
    questions = []
    seen: dict[str, QuizQuestion] = {}
    for index, item in enumerate(data["questions"]):
        question = _read_question(item, path, data["questions"].line_of(index), problems)
        if question and _unique(question.id, seen, path, item.line, problems):
            seen[question.id] = question
            questions.append(question)
    content.quizzes[data["id"]] = Quiz(
        data["id"], data["title"], data["button"], data["intro"], tuple(questions), path, data.line_of("button")
    )


def _read_question(item: Any, path: Path, line: int, problems: Problems) -> QuizQuestion | None:
    what = f"câu hỏi '{item.get('id', '?') if isinstance(item, dict) else '?'}'"
    if not check_fields(item, QUESTION_FIELDS, path, line, problems, what):
        return None
    options: dict[str, QuizOption] = {}
    for index, option in enumerate(item["options"]):
        option_line = item["options"].line_of(index)
        if check_fields(option, OPTION_FIELDS, path, option_line, problems, f"lựa chọn của {what}"):
            if _unique(option["id"], options, path, option_line, problems):
                options[option["id"]] = QuizOption(option["id"], option["text"])
    if len(options) < 2:
        problems.add(path, item.line_of("options"), f"{what} cần ít nhất 2 lựa chọn")
    if item["answer"] not in options:
        problems.add(
            path,
            item.line_of("answer"),
            f"đáp án '{item['answer']}' của {what} không trùng 'id' của lựa chọn nào ({', '.join(options)})",
        )
        return None
    return QuizQuestion(
        item["id"], item["question"], tuple(options.values()), item["answer"], item["explanation"], item["source"]
    )


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


def read_webchat(data: Any, path: Path, content: Content, problems: Problems) -> None:
    if check_fields(data, WEBCHAT_FIELDS, path, 1, problems, "trang chat thử"):
        content.webchat = {k: data[k] for k in WEBCHAT_FIELDS}


REFERRAL_FIELDS = {"situations": LIST, "embassies": LIST, "abroad_places": LIST, "facts": OPTIONAL_LIST}


def read_referrals(data: Any, path: Path, content: Content, problems: Problems) -> None:
    if not check_fields(data, REFERRAL_FIELDS, path, 1, problems, "tệp chuyển tuyến"):
        return
    situations = [
        (item["id"], _phrases(item["phrases"], path, problems))
        for item, line in _items(data["situations"])
        if check_fields(item, {"id": TEXT, "phrases": LIST}, path, line, problems, "tình huống")
    ]
    embassies = [
        (_phrases(item["place"], path, problems), item["hotline"])
        for item, line in _items(data["embassies"])
        if check_fields(item, {"place": LIST, "hotline": TEXT}, path, line, problems, "đại sứ quán")
    ]
    facts = [
        (item["id"], _phrases(item["phrases"], path, problems), item["advice"])
        for item, line in _items(data.get("facts", []))
        if check_fields(item, {"id": TEXT, "phrases": LIST, "advice": TEXT}, path, line, problems, "tình tiết")
    ]
    content.referrals = ReferralSettings(
        tuple(situations), tuple(embassies), _phrases(data["abroad_places"], path, problems), tuple(facts)
    )


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


def read_handoff(data: Any, path: Path, content: Content, problems: Problems) -> None:
    if not check_fields(data, HANDOFF_FIELDS, path, 1, problems, "tệp chuyển cán bộ"):
        return
    hours = data["staffed_hours"]
    line = data.line_of("staffed_hours")
    if not check_fields(hours, HOURS_FIELDS, path, line, problems, "staffed_hours"):
        return
    unknown_days = [d for d in hours["days"] if d not in WEEKDAYS]
    if unknown_days:
        problems.add(path, hours.line_of("days"), f"ngày không hiểu: {unknown_days}; dùng {', '.join(WEEKDAYS)}")
    staffed_from, staffed_to = (_clock(hours, key, path, problems) for key in ("from", "to"))
    questions = tuple(
        HandoffQuestion(
            item["id"],
            item["label"],
            _phrases(item["unsafe_answers"], path, problems) if "unsafe_answers" in item else None,
        )
        for item, item_line in _items(data["questions"])
        if check_fields(item, HANDOFF_QUESTION_FIELDS, path, item_line, problems, "câu hỏi")
    )
    outcomes = {
        item["id"]: item["label"]
        for item, item_line in _items(data["outcomes"])
        if check_fields(item, {"id": TEXT, "label": TEXT}, path, item_line, problems, "kết quả")
    }
    if staffed_from is None or staffed_to is None or unknown_days:
        return
    content.handoff = HandoffSettings(
        float(data["claim_minutes"]),
        tuple(WEEKDAYS.index(d) for d in hours["days"]),
        staffed_from,
        staffed_to,
        _phrases(data["end_words"], path, problems),
        _phrases(data["skip_words"], path, problems),
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


def read_danger_signals(data: Any, path: Path, content: Content, problems: Problems) -> None:
    signals: dict[str, bool] = {}
    for item, line in _entries(data, "signals", path, problems):
        if check_fields(item, {"id": TEXT, "title": TEXT, "phrases": LIST}, path, line, problems, "dấu hiệu nguy hiểm"):
            if _unique(item["id"], signals, path, line, problems):
                signals[item["id"]] = True
                _phrases(item["phrases"], path, problems)


# --- helpers -------------------------------------------------------------------------


def _entries(data: Any, key: str, path: Path, problems: Problems):
    if not isinstance(data, Mapping) or not isinstance(data.get(key), Sequence):
        problems.add(path, 1, f"tệp phải có danh sách '{key}:' ở đầu")
        return
    for index, item in enumerate(data[key]):
        yield item, data[key].line_of(index)


def _unique(key: Any, seen: dict[str, Any], path: Path, line: int, problems: Problems) -> bool:
    if key in seen:
        problems.add(path, line, f"'id: {key}' bị trùng: mỗi mục cần một id riêng")
        return False
    return True


def _phrases(items: Sequence, path: Path, problems: Problems) -> PhraseSet:
    good = []
    for index, phrase in enumerate(items):
        try:
            PhraseSet([str(phrase)])
            good.append(str(phrase))
        except ValueError:
            problems.add(path, items.line_of(index), f"cụm từ '{phrase}' không có chữ nào để tìm")
    return PhraseSet(good)


Reader = Callable[[Any, Path, Content, Problems], None]


def reader_for(relative: Path) -> Reader | None:
    """Which reader a file under content/ needs, by where it is."""
    if relative.parts[0] == "messages":
        return read_messages
    if relative.parts[0] == "quizzes":
        return read_quiz
    return {
        "hotlines.yml": read_hotlines,
        "faq.yml": read_faq,
        "warning_signs.yml": read_signs,
        "danger_signals.yml": read_danger_signals,
        "webchat.yml": read_webchat,
        "offer_checker.yml": read_offer_checker,
        "places_vn.yml": read_places_vn,
        "referrals.yml": read_referrals,
        "handoff.yml": read_handoff,
    }.get(relative.as_posix())


def read_content(directory: Path) -> tuple[Content, Problems]:
    """Read every content file; the problems say what to fix, file by file."""
    content, problems = Content(), Problems()
    for path in sorted(directory.rglob("*.yml")):
        relative = path.relative_to(directory)
        reader = reader_for(relative)
        if reader is None:
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
        reader(data, path, content, problems)
    return content, problems
