"""One canonical form for Vietnamese as it is typed on a phone.

"Cứu e vs, bị giữ ở Cam 😭" and "cuu em voi bi giu o cam" must look the same to
the classifier, the checker and the danger net. The order matters:
NFC, lowercase, teencode expansion (its keys may carry diacritics, "đc"), then
diacritic folding with đ -> d. Expanding after folding would map wrong words.

`normalise_with_origin` also keeps, for every character of the result, where it
came from in the typed text, so a match can be quoted back in the user's words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).parent
_PIECE = re.compile(r"\w+|\s+|.", re.UNICODE | re.DOTALL)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
# "15tr", "2k"; and "1tr5" (1.5 million), "1k5" (1,500): digits after the unit are its fraction.
_NUMBER_WITH_UNIT = re.compile(r"^(\d+(?:[.,]\d+)*)([^\W\d_]+)(\d{1,3})?$")
# Joiners and variation selectors glue emoji sequences together; they carry no
# meaning of their own.
_WORD_TAIL = re.compile(r"\w*")
_INVISIBLE = {"\u200d", "\ufe0f", "\ufe0e", "\u200b"}


@dataclass(frozen=True)
class Shorthand:
    always: dict[str, str]
    after_number: dict[str, str]


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=1)
def shorthand() -> Shorthand:
    always: dict[str, str] = {}
    after_number: dict[str, str] = {}
    for key, expansion, when in _read_tsv(_HERE / "teencode.tsv"):
        table = after_number if when == "after_number" else always
        table[unicodedata.normalize("NFC", key)] = unicodedata.normalize("NFC", expansion)
    return Shorthand(always, after_number)


@lru_cache(maxsize=1)
def emoji_words() -> dict[str, str]:
    return {emoji: word for emoji, word in _read_tsv(_HERE / "emoji.tsv")}


# Called for every character the checker and the classifier read, from a few hundred distinct ones.
@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Strip the diacritics of one character; đ becomes d."""
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    base = unicodedata.normalize("NFD", char)
    return "".join(c for c in base if not unicodedata.combining(c)) or char


def fold(text: str) -> str:
    """NFC, lowercase and diacritics folded, without teencode expansion."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return "".join(fold_char(c) for c in lowered)


@dataclass(frozen=True)
class NormalisedText:
    """The normalised text and, per character, its index in `source`."""

    text: str
    source: str
    origin: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `source` that produced the non-empty `text[start:end]`."""
        first, last = self.origin[start], self.origin[end - 1]
        # An expanded shorthand maps to its first character: take the whole word.
        tail = _WORD_TAIL.match(self.source, last + 1)  # `\w*` matches, if only the empty string
        return first, tail.end() if tail else last + 1

    def quote(self, start: int, end: int) -> str:
        """The user's own words behind `text[start:end]`."""
        first, last = self.source_span(start, end)
        return self.source[first:last]


def _expand_word(word: str, after_number: bool) -> str | None:
    table = shorthand()
    if after_number and word in table.after_number:
        return table.after_number[word]
    if word in table.always:
        return table.always[word]
    with_unit = _NUMBER_WITH_UNIT.match(word)
    if with_unit and with_unit.group(2) in table.after_number:
        number, unit, fraction = with_unit.groups()
        return f"{number},{fraction} {table.after_number[unit]}" if fraction else f"{number} {table.after_number[unit]}"
    return None


@lru_cache(maxsize=65536)
def _folded_word(word: str) -> tuple[str, tuple[int, ...]]:
    """The word folded, and for each of its characters the offset in `word` it came from.

    Cached: people and the labelled offers repeat the same few thousand words."""
    folded, offsets = [], []
    for offset, char in enumerate(word):
        folded_char = fold_char(char)
        folded.append(folded_char)
        offsets.extend([offset] * len(folded_char))
    return "".join(folded), tuple(offsets)


def normalise_with_origin(text: str, after_number: bool = False) -> NormalisedText:
    """Normalise `text`, keeping where each output character came from.

    `after_number` says the text directly follows a number (the tokenizer
    normalises one token at a time), so "tr" reads as "triệu".
    """
    source = unicodedata.normalize("NFC", text)
    out: list[str] = []
    origin: list[int] = []
    previous_word = "0" if after_number else ""
    emoji = emoji_words()

    for piece in _PIECE.finditer(source):
        raw, start = piece.group(), piece.start()
        if raw in _INVISIBLE:
            continue
        if raw.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                origin.append(start)
            continue
        if raw in emoji:
            replacement = f" {fold(emoji[raw])} "
            out.extend(replacement)
            origin.extend([start] * len(replacement))
            continue
        word = raw.lower()
        expansion = _expand_word(word, _NUMBER.match(previous_word) is not None)
        if raw[0].isalnum() or raw[0] == "_":
            previous_word = word
        if expansion is not None:
            folded = fold(expansion)
            out.extend(folded)
            origin.extend([start] * len(folded))
        else:
            folded, offsets = _folded_word(word)
            out.extend(folded)
            origin.extend(start + offset for offset in offsets)

    normalised = "".join(out)
    # Collapse the spaces that emoji replacement may double, keeping origins.
    kept = [i for i, c in enumerate(normalised) if not (c == " " and (i == 0 or normalised[i - 1] == " "))]
    while kept and normalised[kept[-1]] == " ":
        kept.pop()
    return NormalisedText(
        text="".join(normalised[i] for i in kept),
        source=source,
        origin=tuple(origin[i] for i in kept),
    )


def normalise(text: str, after_number: bool = False) -> str:
    """The canonical form: NFC, lowercase, teencode expanded, diacritics folded."""
    return normalise_with_origin(text, after_number).text
