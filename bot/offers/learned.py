"""A learned weighing of the checker's signs, with the folded text's n-grams.

The signs stay the explanation the user reads; this only says how much they,
and the words around them, weigh together. A logistic regression (scikit-learn)
over: one feature per sign, "abroad", the hand-weighted score, and (by the
variant scripts/train_offer_model.py chose) word 1-2-grams of letters and
character 3-5-grams of the normalised text (or of its `layout_stripped` form),
each kept only if it occurs in several sources, so that one site's boilerplate
is not learned. It learns from lures written as ads and ordinary ads only (news
reports of a lure would teach genre, not the offer). The script
decides it by cross-validation grouped by source (every probability it judges
by comes from a model that never saw that item's source), picks the threshold,
refits on train and dev, and writes bot/offers/offer_model.json: the
vocabulary and every weight, plain JSON anyone can read (`--top` prints the
heaviest). The checker lets the model raise a verdict, low to medium,
never lower one (`checker._learned_risk`). Loading builds the vectorizers from a
fixed vocabulary: no fitting at start, a few milliseconds. scikit-learn is
imported only when the model is loaded, so a checker on the hand weights
starts without it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("offer_model.json")
# Words of letters only: numbers and years say more about a source's date and layout than about the offer.
WORDS = {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b[^\W\d_]+\b"}
CHARS = {"analyzer": "char_wb", "ngram_range": (3, 5)}
# What a layout-stripped text loses: the genre of a job-board card rather than its offer (company
# forms, and every mark that is not a letter: bullets, dashes, digits of dates and codes).
_COMPANY_FORMS = re.compile(r"\b(?:cong ty|cty|tnhh|mtv|co phan|cp|jsc|ltd|tap doan)\b")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def layout_stripped(normalised_text: str) -> str:
    """The folded text without company forms and without anything but letters (one space between words)."""
    return " ".join(_NOT_LETTERS.sub(" ", _COMPANY_FORMS.sub(" ", normalised_text)).split())


def model_texts(normalised_texts: Sequence[str], strip_layout: bool) -> list[str]:
    """The texts the n-grams are read from: as normalised, or layout-stripped (by the variant)."""
    return [layout_stripped(t) for t in normalised_texts] if strip_layout else list(normalised_texts)


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


def text_vectorizers(words: Sequence[str], chars: Sequence[str]) -> tuple[tuple[str, Any], ...]:
    """A vectorizer for each kind of n-gram the model has (a variant may have none)."""
    from sklearn.feature_extraction.text import CountVectorizer

    kinds = (("word", words, WORDS), ("chars", chars, CHARS))
    return tuple(
        (name, CountVectorizer(binary=True, vocabulary=list(vocabulary), **settings))
        for name, vocabulary, settings in kinds
        if len(vocabulary)
    )


def features(texts: Sequence[str], sign_rows, sign_ids, vectorizers, strip_layout: bool = False):
    """The same features at training and at checking time (texts are normalised already)."""
    from scipy.sparse import hstack
    from sklearn.preprocessing import normalize

    texts = model_texts(texts, strip_layout)
    blocks = [sign_block(sign_rows, sign_ids)] + [normalize(v.transform(texts)) for _, v in vectorizers]
    return hstack(blocks).tocsr()


def grouped_folds(groups: Sequence[str], labels: Sequence[int], k: int, seed: int = 0):
    """(training, held-out) index arrays of a k-fold cross-validation grouped by source.

    No source is on both sides of a fold, so a held-out item is judged by a
    model that never saw its source: what an unseen source looks like.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    folds = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(folds.split(np.zeros(len(labels)), np.asarray(labels), np.asarray(groups)))


@dataclass(frozen=True)
class LearnedScore:
    sign_ids: tuple[str, ...]
    vectorizers: tuple[tuple[str, Any], ...]  # (kind, CountVectorizer) for each kind of n-gram
    coefficients: Any  # numpy array, one weight per feature
    intercept: float
    platt: tuple[float, float]
    medium: float
    use: bool
    note: str
    strip_layout: bool = False  # the n-grams are read from layout_stripped text

    def probabilities(self, normalised_texts: Sequence[str], sign_rows) -> Any:
        """Calibrated probabilities that each offer is a lure (sign_rows: signs, abroad, hand score)."""
        import numpy as np

        x = features(normalised_texts, sign_rows, self.sign_ids, self.vectorizers, self.strip_layout)
        margins = np.asarray(x.dot(self.coefficients)).ravel() + self.intercept
        a, b = self.platt
        return 1.0 / (1.0 + np.exp(-(a * margins + b)))

    def probability(self, normalised_text: str, signs: Sequence[str], abroad: bool, hand_score: float) -> float:
        return float(self.probabilities([normalised_text], [(signs, abroad, hand_score)])[0])

    def heaviest(self, n: int = 20) -> list[tuple[str, float]]:
        import numpy as np

        names = sign_names(self.sign_ids) + [
            f"{kind}:{gram}" for kind, vectorizer in self.vectorizers for gram in vectorizer.vocabulary
        ]
        order = np.argsort(-np.abs(self.coefficients))[:n]
        return [(names[i], float(self.coefficients[i])) for i in order]

    def describe(self) -> str:
        """Which weighing a checker with this model uses, for reports."""
        if not self.use:
            return "hand weights (the learned model is off: " + self.note + ")"
        return f"hand weights, raised from low to medium by the learned model at p >= {self.medium:.3f} ({self.note})"


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
        strip_layout=bool(data.get("strip_layout", False)),
    )
