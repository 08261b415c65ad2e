"""`python -m bot content check`: everything that can be wrong in content/.

Beyond each file's own schema, it compares content with the dialogue: every
response the stories, rules, domain or code use must have a text, and every
text must be used by something.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import yaml

from bot.content.render import load_templates
from bot.content.schema import Problems
from bot.content.yamlfile import Mapping, YamlFileError, load
from bot.knownscams.normalise import KINDS
from bot.referrals import CHOSEN_SITUATIONS, Referral
from contract.limits import STRICTEST_BUTTON_TITLE, STRICTEST_TEXT_LENGTH, text_length
from contract.paths import ROOT

# The strictest platform limits (contract/limits.py), counted as the platforms count (UTF-16 units).
MAX_BUTTON_TITLE_CHARS = STRICTEST_BUTTON_TITLE
MAX_MESSAGE_CHARS = STRICTEST_TEXT_LENGTH
# What a phone shows without scrolling through a wall: no bubble over this, however it renders.
MAX_BUBBLE_CHARS = 1000
# Choices a template branches on; every one is rendered.
_CHOICES = {
    "risk": ["high", "medium", "low", "unclear"],
    "topic": ["pay", "company", "fee", "go", "general"],
    "listed_kind": list(KINDS),  # utter_offer_known_scam
}
_FLAGS = {"abroad", "staffed", "correct", "for_someone_else"}
_MAX_RENDERINGS = 64
_RESPONSE_IN_CODE = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")
# Anything that looks like a phone number: international, Vietnamese mobile or
# landline, 1800/1900 lines, or a short code right after "gọi", "số", "tổng đài".
_PHONE = re.compile(
    r"\+\d[\d .]{6,}\d"
    r"|(?<![\d.,])0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}(?![\d]|[.,]\d)"
    r"|(?<![\d.,])1[89]00[ .]?\d{3,4}(?:[ .]?\d{1,4})?(?![\d]|[.,]\d)"
    r"|(?:gọi|số|tổng đài|đường dây|hotline|nhắn tin tới|nhắn tới)\s+(?:số\s+)?(\d[\d .]{1,14}\d)(?![\d]|[.,]\d)",
    re.IGNORECASE,
)


def responses_used_by_dialogue(root: Path = ROOT) -> dict[str, str]:
    """Response name -> where it is used (domain, stories, rules, code)."""
    used: dict[str, str] = {}
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    for name in domain.get("responses") or {}:
        used.setdefault(name, "domain.yml")
    for path in sorted((root / "stories").glob("*.yml")):
        for name in re.findall(r"action:\s*(utter_[a-z0-9_]+)", path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(root)))
    for folder in ("actions", "bot"):
        for path in sorted((root / folder).rglob("*.py")):
            for name in _RESPONSE_IN_CODE.findall(path.read_text(encoding="utf-8")):
                used.setdefault(name, str(path.relative_to(root)))
    return used


def referral_responses(content) -> dict[str, str]:
    """The referral messages are named after the situations in referrals.yml."""
    if content.referrals is None:
        return {}
    situations = [sid for sid, _ in content.referrals.situations] + list(CHOSEN_SITUATIONS)
    return {Referral(sid).response: "referrals.yml" for sid in situations}


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if digits.startswith("84") and len(digits) > 9 else digits


def unverified_numbers(text: str, verified: set[str]) -> list[str]:
    """Phone numbers in a text that are not in hotlines.yml."""
    found = []
    for match in _PHONE.finditer(text):
        number = match.group(1) or match.group(0)
        if _digits(number) not in verified:
            found.append(number.strip())
    return found


def _texts_to_scan(content) -> list[tuple[Path, int, str, str]]:
    """(file, line, what, text) for every text a user may read."""
    texts = [(m.path, m.line, f"tin nhắn '{m.name}'", m.text) for m in content.messages.values()]
    texts += [(t.path, t.line, f"câu hỏi '{t.id}'", t.answer) for t in content.faq.values()]
    for quiz in content.quizzes.values():
        for q in quiz.questions:
            body = " ".join([q.text, q.explanation] + [o.text for o in q.options])
            texts.append((quiz.path, quiz.line, f"câu {q.id} của quiz '{quiz.id}'", body))
    return texts


def _worst_case_values(content) -> dict[str, list]:
    """For each variable a template may get, the longest values the code can pass (or an upper bound)."""
    from bot.offers.reply import signs_in_bubbles

    signs = [
        {"id": s.id, "title": s.title, "explanation": s.explanation, "evidence": ["x" * 60] * 3}
        for s in sorted(content.signs.values(), key=lambda s: -len(s.title) - len(s.explanation))
    ]
    questions = [q for quiz in content.quizzes.values() for q in quiz.questions]
    longest_q = max(questions, key=lambda q: len(q.text) + sum(len(o.text) for o in q.options), default=None)
    offer_questions = [q.text for q in (content.offer_settings.questions if content.offer_settings else ())]
    facts = [advice for _, _, advice in (content.referrals.facts if content.referrals else ())]
    embassies = [hotline for _, hotline in (content.referrals.embassies if content.referrals else ())]
    values: dict[str, list] = {
        "signs": [signs],
        "new_signs": [signs[:3]],
        "more_signs": [len(signs)],
        "chunk": [
            max(
                signs_in_bubbles(content.signs),
                key=lambda c: sum(len(content.signs[i].explanation) for i in c),
                default=[],
            )
        ],
        "facts": [facts],
        "embassy": embassies or [None],
        "question": [max([q.text for q in questions] + offer_questions, key=len, default="")],
        "options": [
            [{"letter": "ABCDEFGH"[i], "text": o.text} for i, o in enumerate(longest_q.options)] if longest_q else []
        ],
        "explanation": [max((q.explanation for q in questions), key=len, default="")],
        "right_text": [max((o.text for q in questions for o in q.options), key=len, default="")],
        "source": [max((q.source for q in questions), key=len, default="")],
        "title": [max((q.title for q in content.quizzes.values()), key=len, default="")],
        "intro": [max((q.intro for q in content.quizzes.values()), key=len, default="")],
        "letters": [list("ABCD")],
        "topic": _CHOICES["topic"],
        "risk": _CHOICES["risk"],
        "listed_kind": _CHOICES["listed_kind"],
        # utter_offer_resembles_listed: links as long as a user may paste (the template cuts them).
        "resembling_link": ["x" * 200],
        "listed_domain": ["x" * 200],
    }
    return values


def longest_rendering(templates, name: str, values: dict[str, list]) -> int:
    """The longest text this message can render to, over the worst-case values of its variables."""
    import itertools

    message = templates.messages.get(name)
    if message is None:
        return 0
    variables = message.definition.variables
    candidates = [
        values.get(
            v,
            [True, False] if v in _FLAGS else [99999 if v in ("score", "total", "number", "case_number") else "x" * 40],
        )
        for v in variables
    ]
    longest = 0
    for combination in itertools.islice(itertools.product(*candidates), _MAX_RENDERINGS):
        try:
            text = templates.render(name, "check", dict(zip(variables, combination, strict=False)), {})["text"]
        except Exception:  # a value the template does not take is not a length problem
            continue
        longest = max(longest, len(text))
    return longest


def handoff_question_responses(content) -> dict[str, str]:
    """Each optional hand-off question is asked by the message named after it."""
    questions = content.handoff.questions if content.handoff else ()
    return {question.response: "handoff.yml" for question in questions}


def offer_sign_problems(content, directory: Path) -> list[tuple[Path, str]]:
    """Every sign offer_checker.yml names must be written in warning_signs.yml."""
    from bot.offers.checker import PSEUDO_SIGNS

    settings = content.offer_settings
    if settings is None:
        return []
    named = set(settings.never_below_medium) | {s for c in settings.combinations for s in c.signs}
    return [
        (directory / "offer_checker.yml", f"dấu hiệu '{s}' không có trong warning_signs.yml")
        for s in sorted(named - set(content.signs) - set(PSEUDO_SIGNS))
    ]


KEEP_THE_ID = "giữ đúng id này, mã nguồn tìm nó theo tên"


@dataclass(frozen=True)
class Needed:
    """Ids the code looks up by name in one list of content/ (declared next to the code that does)."""

    file: str  # the file of content/ holding them
    key: str  # the list or group in that file, whose line a problem names
    what: str  # what campaign staff call one of them
    ids: tuple[str, ...]
    present: Collection[str] | None  # None: the file is not usable, and its own problems say why
    why: str  # why it must be there, for the message
    fix: str = KEEP_THE_ID


def _where(module: ModuleType) -> str:
    return f"được dùng trong {Path(str(module.__file__)).relative_to(ROOT).as_posix()}"


def ids_the_code_needs(content) -> list[Needed]:
    from bot import referrals, webchat
    from bot.offers import checker

    settings, situations = content.offer_settings, content.referrals
    reassurances = {r.id for r in settings.reassurances} if settings else None
    return [
        Needed("hotlines.yml", "hotlines", "đường dây", (webchat.MAIN_HOTLINE,), content.hotlines, _where(webchat)),
        Needed(
            "warning_signs.yml",
            "signs",
            "dấu hiệu",
            checker.COMPUTED_SIGNS,
            content.signs,
            "trình kiểm tra tự tính",
            "thêm lời giải thích cho nó",
        ),
        Needed("warning_signs.yml", "signs", "dấu hiệu", checker.CLUE_SIGNS, content.signs, _where(checker)),
        Needed(
            "offer_checker.yml",
            "jobs",
            "loại việc",
            checker.JOB_KINDS,
            settings.jobs if settings else None,
            _where(checker),
            "giữ đúng tên nhóm này, mã nguồn tìm nó theo tên",
        ),
        Needed(
            "offer_checker.yml",
            "reassurances",
            "điều tin thật thường nêu",
            checker.NAMED_REASSURANCES,
            reassurances,
            _where(checker),
        ),
        Needed(
            "referrals.yml",
            "situations",
            "tình huống",
            referrals.NAMED_SITUATIONS,
            {sid for sid, _ in situations.situations} if situations else None,
            _where(referrals),
        ),
    ]


def _line_of(path: Path, key: str) -> int:
    """The line of `key:` in a content file (1 when the file or the key is not there)."""
    try:
        data = load(path)
    except (OSError, YamlFileError):
        return 1
    return data.line_of(key) if isinstance(data, Mapping) else 1


def missing_id_problems(content, directory: Path, unread: Collection[Path] = ()) -> list[tuple[Path, int, str]]:
    """Each id the code looks up that content/ no longer has: renamed, the code would break or go quiet.

    A file that did not read cleanly (`unread`) is left out: an entry it drops for a bad field is not missing.
    """
    problems = []
    for needed in ids_the_code_needs(content):
        path = directory / needed.file
        if needed.present is None or path in unread:
            continue
        for missing in (i for i in needed.ids if i not in needed.present):
            line = _line_of(path, needed.key)
            problems.append((path, line, f"thiếu {needed.what} '{missing}' ({needed.why}): {needed.fix}"))
    return problems


def check_project_content(directory: Path, root: Path = ROOT) -> Problems:
    templates, problems = load_templates(directory)
    if problems.unreadable:
        return problems
    read_with_problems = {problem.path for problem in problems}
    messages = templates.content.messages
    used = responses_used_by_dialogue(root)
    used.update(referral_responses(templates.content))
    used.update(handoff_question_responses(templates.content))
    for name, where in sorted(used.items()):
        if name not in messages:
            problems.add(
                directory / "messages",
                1,
                f"thiếu tin nhắn '{name}' (được dùng trong {where}): thêm nó vào một tệp trong messages/",
            )
    worst_case = _worst_case_values(templates.content)
    for name, message in messages.items():
        if name not in used:
            problems.add(
                message.path, message.line, f"tin nhắn '{name}' không được dùng ở đâu: xoá, hoặc kiểm tra lại tên"
            )
        if text_length(message.text) > MAX_MESSAGE_CHARS:
            problems.add(
                message.path,
                message.line,
                f"'{name}' dài {text_length(message.text)} ký tự, quá {MAX_MESSAGE_CHARS}: chia thành hai tin nhắn",
            )
        rendered = longest_rendering(templates, name, worst_case)
        if rendered > MAX_BUBBLE_CHARS:
            problems.add(
                message.path,
                message.line,
                f"'{name}' có thể dài tới {rendered} ký tự khi hiện ra, quá {MAX_BUBBLE_CHARS} cho màn hình điện thoại: viết ngắn lại hoặc chia ra",
            )
        for button in message.buttons:
            if "{{" not in button.title and text_length(button.title) > MAX_BUTTON_TITLE_CHARS:
                problems.add(
                    message.path,
                    message.line,
                    f"nút '{button.title}' của '{name}' dài {text_length(button.title)} ký tự, tối đa {MAX_BUTTON_TITLE_CHARS}: viết ngắn lại",
                )
    referrals = templates.content.referrals
    for _, hotline in referrals.embassies if referrals else ():
        if hotline not in templates.content.hotlines:
            problems.add(directory / "referrals.yml", 1, f"'hotline: {hotline}' không có trong hotlines.yml")
    verified = {_digits(h.dial) for h in templates.content.hotlines.values() if h.dial}
    for path, line, what, text in _texts_to_scan(templates.content):
        for number in unverified_numbers(text, verified):
            problems.add(
                path,
                line,
                f"{what} có số điện thoại '{number}' không có trong hotlines.yml: chỉ dùng số đã kiểm chứng, "
                f"viết {{{{ hotlines.<id>.number }}}}",
            )
    for path, text in offer_sign_problems(templates.content, directory):
        problems.add(path, 1, text)
    for path, line, text in missing_id_problems(templates.content, directory, read_with_problems):
        problems.add(path, line, text)
    for quiz in templates.content.quizzes.values():
        if text_length(quiz.button) > MAX_BUTTON_TITLE_CHARS:
            problems.add(
                quiz.path or directory / "quizzes",
                quiz.line,
                f"'button' của quiz '{quiz.id}' dài {text_length(quiz.button)} ký tự, tối đa {MAX_BUTTON_TITLE_CHARS}",
            )
    return problems
