"""Splitting a long answer into messages a platform accepts.

A cut falls between paragraphs if it can, else between lines, then sentences,
then words; only a single word longer than the limit is cut inside. Lengths
are UTF-16 units, as the platforms count (contract.limits.text_length).
"""

from __future__ import annotations

import re

from contract.limits import text_length

# Coarsest first. Each keeps its separator at the end of the piece before it,
# so joining the pieces gives the text back.
_BOUNDARIES = (
    re.compile(r"(?<=\n\n)"),
    re.compile(r"(?<=\n)"),
    re.compile(r"(?<=[.!?…])(?=\s)"),
    re.compile(r"(?<=\s)(?=\S)"),
)


def split_text(text: str, limit: int) -> list[str]:
    """The text in messages of at most `limit` (as `text_length` counts), in order."""
    text = text.strip()
    if not text:
        return []
    chunks = [chunk.strip() for chunk in _split(text, limit, 0)]
    return [chunk for chunk in chunks if chunk]


def _split(text: str, limit: int, level: int) -> list[str]:
    if text_length(text) <= limit:
        return [text]
    if level == len(_BOUNDARIES):
        return _cut(text, limit)
    chunks: list[str] = []
    current = ""
    for piece in _BOUNDARIES[level].split(text):
        if text_length(current + piece) <= limit:
            current += piece
            continue
        if current:
            chunks.append(current)
        if text_length(piece) <= limit:
            current = piece
        else:
            chunks.extend(_split(piece, limit, level + 1))
            current = ""
    if current:
        chunks.append(current)
    return chunks


def _cut(word: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for character in word:
        if text_length(current + character) > limit:
            chunks.append(current)
            current = ""
        current += character
    return chunks + [current] if current else chunks
