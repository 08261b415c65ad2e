"""Near-duplicate lures: word shingles of the folded text, MinHash, and LSH bands kept in the database.

A lure reposted with its spacing changed, its diacritics dropped, an emoji
added or a word swapped keeps most of its 3-word shingles. MinHash estimates
how many two texts share; cutting each signature into bands (BANDS × ROWS)
makes two texts that share a band candidates. The bands are rows in the
database (bot/knownscams/store.py), so every process sees an entry as soon as
it is added and a lookup is one indexed query, however long the list; the
candidates are then compared exactly (`similarity`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 3
BANDS, ROWS = 40, 3  # a pair sharing half its shingles becomes a candidate 99.6% of the time
PERMUTATIONS = BANDS * ROWS
_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(20261202)  # fixed: the bands in the database depend on it
_A = _rng.randint(1, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.randint(0, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)
# Fewer shingles than this say too little to call two texts the same.
MIN_SHINGLES = 6
# Matching: most of the shingles in common, or one text nearly inside the other (a cut or quoted copy).
SAME_JACCARD = 0.5
SAME_CONTAINMENT = 0.8
MIN_SHINGLES_FOR_CONTAINMENT = 10


def shingles(words: list[str]) -> frozenset[str]:
    if len(words) < SHINGLE_WORDS:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))


def _hash32(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=4).digest(), "little")


def signature(shingle_set: frozenset[str]) -> np.ndarray:
    """The MinHash signature: per permutation, the least permuted hash of the shingles."""
    hashes = np.array([_hash32(s) for s in shingle_set], dtype=np.uint64)
    with np.errstate(over="ignore"):  # the products wrap, as in datasketch: still a hash family
        permuted = ((np.outer(hashes, _A) + _B) % _PRIME) & _MAX_HASH
    return permuted.min(axis=0)


def bands(shingle_set: frozenset[str]) -> list[int]:
    """One 63-bit key per band (band number and its rows), for an indexed integer column."""
    rows = signature(shingle_set).reshape(BANDS, ROWS)
    keys = []
    for number, band in enumerate(rows):
        digest = hashlib.blake2b(number.to_bytes(2, "little") + band.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # of the smaller set in the larger
    smaller: int

    @property
    def same_lure(self) -> bool:
        if self.smaller < MIN_SHINGLES:
            return False
        return self.jaccard >= SAME_JACCARD or (
            self.containment >= SAME_CONTAINMENT and self.smaller >= MIN_SHINGLES_FOR_CONTAINMENT
        )


def similarity(a: frozenset[str], b: frozenset[str]) -> Similarity:
    if not a or not b:
        return Similarity(0.0, 0.0, 0)
    common = len(a & b)
    smaller = min(len(a), len(b))
    return Similarity(common / len(a | b), common / smaller, smaller)
