"""Does a message answer the question on screen? Plain Python, shared by the
dialogue policy (nlu/components.py) and the action that answers (actions/dialogue.py).

The assistant keeps at most one yes/no question open: the one asked in its
latest turn, recorded there as a `SlotSet` of `open_question`. A question from
an earlier turn is closed by whatever came after it, so a "yes" can only ever
answer what is on screen.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from nlu.normalise import fold, normalise
from nlu.phrases import PhraseSet

OPEN_QUESTION = "open_question"
CONSENT, DELETE, OFFER_TEXT, VERDICT, QUIZ = "consent", "delete", "offer_text", "verdict", "quiz"
QUIZ_MENU = "quiz_menu"  # the list of quizzes: "1", "cái đầu", a title's words choose one
REPORT = "report"  # send the checked offer to staff? typed "có", "1", a choice's words answer it
FEEDBACK_REASON = "feedback_reason"  # 👎: what was wrong? a choice, or more about the offer
SIGNS = "signs"  # the list of warning signs: "xem thêm", "giải thích" explain every one
DANGER_INTENT = "report_danger"
MAX_SHORT_ANSWER_WORDS = 8
# "làm quiz", "số đường dây nóng": a short request of its own even while an offer is awaited.
SHORT_REQUEST_WORDS = 4
# A choice typed with a slip ("kiem tra ten cong ti") still names its option.
CHOICE_SIMILARITY = 0.8

# Intents that are their own question even while consent is asked: answered as usual.
ANSWERED_AS_USUAL_DURING_CONSENT = frozenset(
    {
        "ask_trafficking_info",
        "ask_hotline",
        "ask_warning_signs",
        "check_job_offer",
        "start_quiz",
        "quiz_answer",
        "delete_my_data",
        "greet",
        "goodbye",
        "bot_challenge",
        "thank",
    }
)
# ... and while an offer or a follow-up about one is awaited.
ANSWERED_AS_USUAL_ABOUT_AN_OFFER = frozenset(
    {
        DANGER_INTENT,
        "greet",
        "goodbye",
        "thank",
        "start_quiz",
        "ask_hotline",
        "request_human",
        "delete_my_data",
        "ask_warning_signs",
        "bot_challenge",
        "quiz_answer",
        # What is done with the verdict itself (actions/reports.py): "báo tin này", "kết quả chưa đúng".
        "report_offer",
        "verdict_feedback",
    }
)
# Requests that are never about the offer on screen, however long.
ALWAYS_THEIR_OWN = frozenset({"request_human", "delete_my_data", "start_quiz", "goodbye", "ask_privacy"})
# After a verdict, thanks are their own, however long the sentence; so is "which number do I call"
# unless it names the job's terms (`_their_own_after_a_verdict`). Not while an offer is awaited: a pasted ad
# is then read as one whatever the classifier says.
THEIR_OWN_AFTER_A_VERDICT = ALWAYS_THEIR_OWN | {"thank"}
_WORD = re.compile(r"\w+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, frozenset[str]]:
    sets: dict[str, set] = {}
    for line in (Path(__file__).parent / "answers.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, word = line.split("\t")[:2]
            sets.setdefault(name, set()).add(word.strip())
    return {name: frozenset(words) for name, words in sets.items()}


@cache
def phrases_of(name: str) -> PhraseSet:
    """One phrase list of answers.tsv ("topic_fee", "quiz_refusal"...): `*` stands for up to three words."""
    return PhraseSet(sorted(vocabulary().get(name, ())), negatable=False)


def words_of(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def folded_words(text: str) -> list[str]:
    """Folded but not expanded: a lone "a" or "b" is a letter here, not teencode."""
    return _WORD.findall(fold(text))


def _only(words: Sequence[str], core: str, *allowed: str) -> bool:
    sets = vocabulary()
    permitted = sets[core].union(*(sets[name] for name in allowed))
    return (
        0 < len(words) <= MAX_SHORT_ANSWER_WORDS
        and any(w in sets[core] for w in words)
        and all(w in permitted for w in words)
    )


def is_title(text: str, titles: Iterable[str]) -> bool:
    """A button's title typed (or pasted), emoji and punctuation aside."""
    words = words_of(text)
    return bool(words) and any(words == words_of(title) for title in titles)


def is_clear_yes(text: str, titles: Iterable[str] = ()) -> bool:
    """ "có", "dc", "ok", "đồng ý", "kết nối đi", or a yes button's title typed: nothing else."""
    if is_title(text, titles):
        return True
    words = words_of(text)
    return not any(w in vocabulary()["no"] for w in words) and _only(words, "yes", "yes_extra", "filler")


def _yes_words() -> frozenset[str]:
    """Words of a yes; "ket" (of "kết nối") alone is none."""
    return vocabulary()["yes"] - {"ket"}


def is_clear_no(text: str) -> bool:
    words = words_of(text)
    if phrases_of("wants_out").find(text):
        # "e ko muon lam nua" at the consent question: out of the work, not out of the help.
        return False
    return not any(w in _yes_words() for w in words) and _only(words, "no", "no_extra", "filler")


# "không sao" (no problem), "không biết" (don't know): they open with "không" and are not a no.
_NOT_A_NO = frozenset({"sao", "biet", "hieu", "ro", "van"})
_NEGATIONS = frozenset({"khong", "chua"})  # "ko dc" is no yes; "thôi có" is one
# Folded, "nó" (he, she) is the English "no": "nó tên Hùng, 20 tuổi" opens a sentence, not a refusal.
_HE_OR_NO = "no"


def opens_with_no(text: str) -> bool:
    """ "thôi ko dc đâu, họ kiểm tra đt": a no first, then why; no yes in it but a negated one ("ko dc")."""
    words = words_of(text)
    yes = _yes_words()
    if not words or words[0] not in vocabulary()["no"] or (len(words) > 1 and words[1] in _NOT_A_NO):
        return False
    if words[0] == _HE_OR_NO and len(words) > 1:
        return False
    return not any(w in yes and words[i - 1] not in _NEGATIONS for i, w in enumerate(words) if i > 0)


def is_delete_confirmation(text: str) -> bool:
    words = words_of(text)
    sets = vocabulary()
    return (
        0 < len(words) <= MAX_SHORT_ANSWER_WORDS
        and any(w in sets["delete"] for w in words)
        and not any(w in sets["delete_not"] for w in words)
    )


def mentions_delete(text: str) -> bool:
    """A short message with the word for erasing, negated or not ("thôi không xoá")."""
    words = words_of(text)
    return 0 < len(words) <= MAX_SHORT_ANSWER_WORDS and any(w in vocabulary()["delete"] for w in words)


FOLLOWUP_TOPICS = ("fee", "company", "pay", "decline", "papers", "go", "do", "back", "need")


def followup_topic(text: str) -> str:
    """What a question about a checked offer is about (the first of FOLLOWUP_TOPICS whose phrases it has), or general."""
    return next((topic for topic in FOLLOWUP_TOPICS if phrases_of(f"topic_{topic}").find(text)), "general")


def is_more_request(text: str) -> bool:
    """ "xem thêm", "chi tiết", "xem hết dấu hiệu": the rest of the verdict."""
    return _only(words_of(text), "more_core", "more", "filler")


def asks_own_liability(text: str) -> bool:
    """ "e từng bị ép làm lừa đảo, e có bị đi tù ko": forced work, and a question about punishment."""
    return bool(phrases_of("forced_work").find(text)) and bool(phrases_of("punishment_question").find(text))


def is_quiz_stop(text: str) -> bool:
    """ "thôi", "dừng lại", or a sentence that says no more ("e ko muon lam quiz nua")."""
    return _only(words_of(text), "stop", "stop_extra", "filler") or bool(phrases_of("quiz_refusal").find(text))


def chosen_option(typed: str, options: Sequence[Mapping[str, str]]) -> int | None:
    """The index of the option named by its letter, number or own words (folded, slips allowed)."""
    words = folded_words(typed)
    if not words:
        return None
    texts = [" ".join(folded_words(o["text"])) for o in options]
    said = " ".join(words)
    exact = [i for i, t in enumerate(texts) if t == said]
    if exact:
        return exact[0]
    if len(words) <= 4:
        letters = {o["letter"].lower(): i for i, o in enumerate(options)}
        numbers = {str(i + 1): i for i in range(len(options))}
        # The first one counts: in "b ạ" the polite "ạ" folds to "a".
        for word in words:
            if word in letters or word in numbers:
                return letters.get(word, numbers.get(word))
    if len(words) < 2:
        return None
    scores = [difflib.SequenceMatcher(None, said, t).ratio() for t in texts]
    # A part of the option's words is enough when it fits only that option.
    contained = [i for i, t in enumerate(texts) if len(said) >= 8 and said in t]
    if len(contained) == 1:
        return contained[0]
    best = max(range(len(texts)), key=scores.__getitem__)
    return best if scores[best] >= CHOICE_SIMILARITY else None


def open_question(events: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The question the assistant asked in its latest turn, before the latest user message.

    `events` are the tracker's events as dicts, oldest first.
    """
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return None
    end = users[-1]
    start = users[-2] if len(users) > 1 else -1
    asked = None
    for event in events[start + 1 : end]:
        if event.get("event") == "slot" and event.get("name") == OPEN_QUESTION:
            asked = event.get("value")
    return asked if isinstance(asked, dict) and asked.get("kind") else None


def _their_own_after_a_verdict(text: str, intent: str) -> bool:
    if intent == "ask_hotline":
        # "e qua toi bavet r a, goi so nao", "ma ban e di r": the numbers for where they are;
        # "làm tại bình dương, bao ăn ở", which the classifier also reads as ask_hotline, names
        # the job's terms: more about the offer.
        return not phrases_of("offer_term").find(text)
    return intent in THEIR_OWN_AFTER_A_VERDICT


def answers_open_question(question: Mapping[str, Any], text: str, intent: str) -> bool:
    """Should the open question take this message, rather than the usual answer to its intent?"""
    kind = question.get("kind")
    is_button = text.startswith("/")
    if kind == CONSENT:
        if is_button:
            return text.startswith("/affirm") or text.startswith("/deny")
        if intent == "delete_my_data":
            # "they took everyone's phones" is no request to erase: only the word for it is.
            return not is_delete_confirmation(text)
        if followup_topic(text) == "do":
            # "e nen lam gi bay gio" (read as check_job_offer): the contacts for where they are, and the question again.
            return True
        return (
            intent not in ANSWERED_AS_USUAL_DURING_CONSENT
            or is_clear_yes(text)
            or is_clear_no(text)
            or opens_with_no(text)
        )
    if kind == DELETE:
        return not is_button and (
            intent in ("affirm", "deny") or mentions_delete(text) or is_clear_yes(text) or is_clear_no(text)
        )
    if kind in (QUIZ, QUIZ_MENU):
        if is_button:
            return False
        if is_quiz_stop(text):
            # "thoát" alone in a quiz leaves the quiz; the danger net reads it as "escape".
            return True
        if kind == QUIZ and not _LETTER_OR_DIGIT.search(text):
            # "🤔", "??" in a quiz: no answer, and no reason to leave it either.
            return intent != DANGER_INTENT
        return intent != DANGER_INTENT and chosen_option(text, question.get("options") or []) is not None
    if kind == REPORT:
        if is_button or intent == DANGER_INTENT:
            return False
        return chosen_option(text, question.get("options") or []) is not None or is_clear_yes(text) or is_clear_no(text)
    if kind == SIGNS:
        return not is_button and is_more_request(text)
    if kind == FEEDBACK_REASON:
        if not is_button and chosen_option(text, question.get("options") or []) is not None:
            return intent != DANGER_INTENT
        return answers_open_question({"kind": VERDICT}, text, intent)
    if kind in (OFFER_TEXT, VERDICT):
        if intent == DANGER_INTENT:
            return False
        if is_button:
            return text.startswith("/offer_answer") or text.startswith("/affirm") or text.startswith("/deny")
        if kind == VERDICT and (is_more_request(text) or followup_topic(text) != "general"):
            # "vậy phải làm gì", "phí thì sao": the topic's own words say it is about the offer,
            # however the classifier reads them (it takes "vay toi phai lam gi" for ask_hotline,
            # and "co lay lai dc ko" for start_quiz, unsure): a quiz only when a quiz is named.
            if intent == "start_quiz":
                return not any(w in vocabulary()["quiz_word"] for w in words_of(text))
            return intent not in ALWAYS_THEIR_OWN
        their_own = _their_own_after_a_verdict(text, intent) if kind == VERDICT else intent in ALWAYS_THEIR_OWN
        if len(text.split()) > SHORT_REQUEST_WORDS and not their_own:
            # Asked for an offer, a line of one is an offer; after a verdict, a sentence is
            # about that offer ("but they said Cambodia first"), whatever the classifier thinks.
            return True
        return intent not in ANSWERED_AS_USUAL_ABOUT_AN_OFFER
    return False
