"""Phrase lists that campaign staff can read and write, matched on normalised text.

A phrase is written as people would write it, with or without diacritics
("bị giữ", "không cho * về"); `*` stands for up to three words in between.
A phrase right after a negation ("không bị giữ", "chưa bị đánh") does not
count, so "công ty không thu phí" does not look like a fee.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import Pattern

from nlu.normalise import NormalisedText, normalise, normalise_with_origin

GAP = "*"
MAX_GAP_WORDS = 3
# Not "chu": folded, it is "chủ" (the boss: "chủ cho ứng trước", "chủ lo ăn ở") far more
# often than "chứ", which does not negate what follows anyway.
_NEGATED_BEFORE = re.compile(
    r"(?:^|[\s,.;!?])(?:khong|chua|chang|cha)(?: (?:he|co|tung|bao gio|can|phai|mat|thu|yeu cau|bat|doi|lay))? $"
)


@dataclass(frozen=True)
class PhraseMatch:
    phrase: str
    start: int
    end: int
    quote: str


# Content holds a few thousand phrases and is read again on every edit (and in every test
# that loads it): each phrase is normalised and compiled once per process.
PHRASE_CACHE = 16384


@lru_cache(maxsize=PHRASE_CACHE)
def phrase_regex(phrase: str) -> str:
    """The regex source for one phrase over normalised text."""
    parts = []
    for chunk in phrase.split(GAP):
        words = normalise(chunk).split()
        if words:
            parts.append(r"\s+".join(re.escape(w) for w in words))
    if not parts:
        raise ValueError(f"phrase {phrase!r} has no words")
    gap = rf"(?:\s+\S+){{0,{MAX_GAP_WORDS}}}\s+"
    return gap.join(parts)


@lru_cache(maxsize=PHRASE_CACHE)
def compile_phrase(phrase: str) -> Pattern[str]:
    """The regex for one phrase over normalised text, whole words only."""
    return re.compile(_bounded(phrase))


_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=PHRASE_CACHE)
def _word_ends(phrase: str) -> tuple[bool, bool]:
    """Whether the phrase starts, and ends, with a letter or digit (nearly all phrases do both)."""
    words = normalise(phrase.replace(GAP, " ")).split()
    return bool(_WORD_CHAR.match(words[0][0])), bool(_WORD_CHAR.match(words[-1][-1]))


@lru_cache(maxsize=PHRASE_CACHE)
def _bounded(phrase: str) -> str:
    """The phrase's regex with a word boundary at each end that is a word character.

    "% lương tháng đầu" then also matches in "30% lương tháng đầu", the percent
    sign written against the number.
    """
    starts_with_word, ends_with_word = _word_ends(phrase)
    return (r"(?<!\w)" if starts_with_word else "") + phrase_regex(phrase) + (r"(?!\w)" if ends_with_word else "")


@lru_cache(maxsize=1)
def homographs() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Folded word -> (following words, preceding words) that make it another word."""
    table = {}
    for line in (Path(__file__).parent / "homographs.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, followers, preceders = (line.split("\t") + [""])[:3]
            table[word] = (tuple(followers.split()), tuple(preceders.split()))
    return table


_LAST_WORD = re.compile(r"(\w+)\W*$")
_FIRST_WORD = re.compile(r"^\W*(\w+)")


def is_another_word(text: str, start: int, end: int) -> bool:
    """'lao' in 'lao dong' (labour) or 'thu lao' (a fee) is not Laos."""
    last = _LAST_WORD.search(text[max(0, end - 20) : end])
    rule = homographs().get(last.group(1)) if last else None
    if rule is None:
        return False
    followers, preceders = rule
    after = _FIRST_WORD.match(text[end : end + 15])
    before = _LAST_WORD.search(text[max(0, start - 15) : start])
    return bool(after and after.group(1) in followers) or bool(before and before.group(1) in preceders)


def is_negated(text: str, start: int) -> bool:
    return bool(_NEGATED_BEFORE.search(text[max(0, start - 20) : start]))


@lru_cache(maxsize=PHRASE_CACHE)
def _alternation(sources: tuple[str, ...], bounded_otherwise: tuple[str, ...] = ()) -> Pattern[str]:
    """One regex for many phrases.

    The word boundaries of the phrases that start and end with a word character
    are checked once, outside the alternation (checked inside each alternative,
    they make a large set several times slower); the few others ("% lương tháng
    đầu") come after, each with its own boundaries.
    """
    words = r"(?<!\w)(?:" + "|".join(sources) + r")(?!\w)" if sources else ""
    return re.compile("|".join(filter(None, [words, *bounded_otherwise])))


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=PHRASE_CACHE)
def _leading_word(phrase: str) -> str | None:
    """The letters and digits a phrase's match starts with ("k" for "k/giờ"), None if it starts otherwise ("%…")."""
    lead = _WORD.match(normalise(phrase.replace(GAP, " ")).split()[0])
    return lead.group() if lead else None


@lru_cache(maxsize=64)
def _word_starts(text: str) -> dict[str, list[int]]:
    """Where each run of letters and digits starts, by the run; one text is matched by a hundred sets in a row."""
    starts: dict[str, list[int]] = {}
    for word in _WORD.finditer(text):
        starts.setdefault(word.group(), []).append(word.start())
    return starts


class PhraseSet:
    """A named list of phrases compiled once into one regex, matched many times.

    One alternation holds every phrase; the longest phrase wins where several
    start at the same place. A match of a phrase that starts with a word can
    only start where the text has that word, so the alternation is tried only
    there: the same matches as scanning every position (`finditer`), without
    trying a few hundred alternatives at each of the text's words.
    """

    def __init__(self, phrases: Iterable[str], negatable: bool = True) -> None:
        self.phrases: tuple[str, ...] = tuple(phrases)
        self.negatable = negatable
        self._each = [(p, compile_phrase(p)) for p in self.phrases]
        edged = [p for p in self.phrases if all(_word_ends(p))]
        sources = tuple(sorted({phrase_regex(p) for p in edged}, key=len, reverse=True))
        others = tuple(sorted({_bounded(p) for p in self.phrases if p not in edged}, key=len, reverse=True))
        self._all = _alternation(sources, others) if sources or others else None
        leads = [_leading_word(p) for p in self.phrases]
        # None: a phrase starts with a sign ("% lương…"), so every position is tried.
        self._leading_words = frozenset(w for w in leads if w) if all(leads) else None

    def _matches(self, text: str) -> Iterable[re.Match[str]]:
        """The alternation's matches, left to right, none overlapping (as `finditer` gives them)."""
        assert self._all is not None
        if self._leading_words is None:
            yield from self._all.finditer(text)
            return
        starts = _word_starts(text)
        candidates = sorted(p for word in self._leading_words.intersection(starts) for p in starts[word])
        end = 0
        for position in candidates:
            if position >= end and (match := self._all.match(text, position)):
                end = match.end()
                yield match

    def find(self, text: str | NormalisedText) -> list[PhraseMatch]:
        if self._all is None:
            return []
        normalised = text if isinstance(text, NormalisedText) else normalise_with_origin(text)
        found = []
        for match in self._matches(normalised.text):
            start, end = match.start(), match.end()
            if self.negatable and is_negated(normalised.text, start):
                continue
            if is_another_word(normalised.text, start, end):
                continue
            found.append(PhraseMatch(self._phrase_of(match.group()), start, end, normalised.quote(start, end)))
        return found

    def _phrase_of(self, matched: str) -> str:
        return next((p for p, pattern in self._each if pattern.fullmatch(matched)), matched)
