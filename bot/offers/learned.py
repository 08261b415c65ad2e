"""A learned weighing of the checker's signs, with the folded text's n-grams.

The signs stay the explanation the user reads; this only says how much they,
and the words around them, weigh together. A logistic regression (scikit-learn)
over: one feature per sign, "abroad", the hand-weighted score, and word (1-2)
and character (3-5) n-grams of the normalised text. It is fitted on the train
split with cross-validation (C chosen by 5-fold CV, then Platt-calibrated on
out-of-fold scores) by scripts/train_offer_model.py, which also picks the
thresholds on the dev split and writes bot/offers/offer_model.json: the
vocabulary and every weight, plain JSON anyone can read (`--top` prints the
heaviest). Loading it builds two vectorizers from a fixed vocabulary: no
fitting at start, a few milliseconds. scikit-learn is imported only when the
model is loaded, so a checker on the hand weights starts without it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("offer_model.json")
WORDS = {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b"}
CHARS = {"analyzer": "char_wb", "ngram_range": (3, 5)}


def sign_names(sign_ids: Sequence[str]) -> list[str]:
    return [f"sign:{s}" for s in sign_ids] + ["abroad", "hand_score"]


def sign_block(rows: Sequence[tuple[Sequence[str], bool, float]], sign_ids: Sequence[str]):
    """One row per offer: its signs (0/1), abroad (0/1), the hand score / 10."""
    import numpy as np
    from scipy.sparse import csr_matrix

    index = {s: i for i, s in enumerate(sign_ids)}
    data = np.zeros((len(rows), len(sign_ids) + 2))
    for r, (signs, abroad, score) in enumerate(rows):
        for s in signs:
            if s in index:
                data[r, index[s]] = 1.0
        data[r, -2] = float(abroad)
        data[r, -1] = min(score, 12.0) / 10.0
    return csr_matrix(data)


def text_vectorizers(words: Sequence[str], chars: Sequence[str]):
    from sklearn.feature_extraction.text import CountVectorizer

    return (
        CountVectorizer(binary=True, vocabulary=list(words), **WORDS),
        CountVectorizer(binary=True, vocabulary=list(chars), **CHARS),
    )


def features(texts: Sequence[str], sign_rows, sign_ids, vectorizers):
    """The same features at training and at checking time (texts are normalised already)."""
    from scipy.sparse import hstack
    from sklearn.preprocessing import normalize

    word_vec, char_vec = vectorizers
    return hstack(
        [
            sign_block(sign_rows, sign_ids),
            normalize(word_vec.transform(texts)),
            normalize(char_vec.transform(texts)),
        ]
    ).tocsr()


@dataclass(frozen=True)
class LearnedScore:
    sign_ids: tuple[str, ...]
    vectorizers: tuple[Any, Any]  # word and character CountVectorizers
    coefficients: Any  # numpy array, one weight per feature
    intercept: float
    platt: tuple[float, float]
    medium: float
    use: bool
    note: str

    def probability(self, normalised_text: str, signs: Sequence[str], abroad: bool, hand_score: float) -> float:
        x = features([normalised_text], [(signs, abroad, hand_score)], self.sign_ids, self.vectorizers)
        margin = float(x.dot(self.coefficients)[0]) + self.intercept
        a, b = self.platt
        return 1.0 / (1.0 + math.exp(-(a * margin + b)))

    def heaviest(self, n: int = 20) -> list[tuple[str, float]]:
        import numpy as np

        names = (
            sign_names(self.sign_ids)
            + [f"word:{w}" for w in self.vectorizers[0].vocabulary]
            + [f"chars:{c}" for c in self.vectorizers[1].vocabulary]
        )
        order = np.argsort(-np.abs(self.coefficients))[:n]
        return [(names[i], float(self.coefficients[i])) for i in order]


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH, only_if_used: bool = False) -> LearnedScore | None:
    """The stored model; None when there is none (or, `only_if_used`, when its run kept the hand weights)."""
    if not path.exists():
        return None
    data: dict = json.loads(path.read_text(encoding="utf-8"))
    if only_if_used and not data["use"]:
        return None
    import numpy as np

    return LearnedScore(
        sign_ids=tuple(data["sign_ids"]),
        vectorizers=text_vectorizers(data["words"], data["chars"]),
        coefficients=np.array(data["coefficients"]),
        intercept=float(data["intercept"]),
        platt=(float(data["platt"][0]), float(data["platt"][1])),
        medium=float(data["thresholds"]["medium"]),
        use=bool(data["use"]),
        note=data.get("note", ""),
    )
