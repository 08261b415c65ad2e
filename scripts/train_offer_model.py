"""Decide the learned weighing of the offer checker's signs (bot/offers/learned.py) by source-grouped CV.

    .venv/bin/python scripts/train_offer_model.py [--top 25]

Protocol (written before its figures were seen; docs/offer-checker.md):
- Train and dev are pooled (dev alone has 8 ordinary ads). Every item is
  grouped by its source (`splits.source_of`), the in-sample files' items too,
  and used twice: full, and cut to 300 characters (users paste short ads).
- Outer 5-fold cross-validation grouped by source: every item's probability
  comes from a model that never saw its source. Inside each training part, the
  vocabulary is built, C is chosen from a small grid by inner grouped CV (log
  loss), and Platt scaling is fitted on the inner out-of-fold margins.
- A few feature VARIANTS, fixed here in advance, are compared on the same folds.
- The model only raises a verdict (low to medium). Its threshold is the one of
  least cost (a missed lure costs MISS_COST false alarms, full and cut texts
  together) with false alarms <= MAX_FALSE_ALARMS on full AND on cut texts.
- DECISION RULE: the learned model is used ("use": true) only if hand + model
  beats the hand weights on the out-of-fold cost by at least MIN_COST_GAIN
  (about three lures more), within the false-alarm limit on full and cut texts.
  Added after the first run, before any look at test: and only if the unit
  tests' hand-written ordinary ads stay unflagged with it (WRITTEN_ADS_TESTS;
  the first run's model flagged 41 of them, see `failing_tests`).
  The hand weights' out-of-fold figure is in-sample (their signs were written
  and weighed on these very items), so the comparison favours them; the
  model's hand-score and sign features carry the same in-sample advantage.
- GENRE CONTROL (2026-12-07, written here before this protocol's first run):
  most lures in the data are news reports (`kind: reported`) and most ordinary
  ads job-board cards, so a model fitted on all of them learns news prose
  against ad layout (the 2026-12-06 run flagged 41 of the written ads). The
  model is therefore fitted, cross-validated and judged on the lures written
  as ads (VERBATIM_KINDS: `verbatim`, and `quoted` in the in-sample file, which
  means the same) and the ordinary ads only; the cost, the threshold and the
  decision rule are computed on those items. Reported lures never enter the
  fit; the refitted model's figures on them are printed apart and are not the
  decision's basis. One idea against genre, fixed in advance, is a fourth
  variant: variant 3 on layout-stripped text (`learned.layout_stripped`: no
  company forms, "công ty", "TNHH"…, and nothing but letters: no bullets,
  dashes or digits). No other variant is tried.
- The chosen variant is then refitted on all of train and dev, with the
  threshold picked once on the out-of-fold probabilities, and written to
  bot/offers/offer_model.json with a note saying how it was decided.
Never reads the test split.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_templates  # noqa: E402
from bot.offers.checker import LOW, OfferChecker  # noqa: E402
from bot.offers.evaluation import FLAGGED, LURE, SHORT_AD_CHARS, read_labelled, truncate  # noqa: E402
from bot.offers.learned import (  # noqa: E402
    CHARS,
    MODEL_PATH,
    WORDS,
    LearnedScore,
    features,
    grouped_folds,
    load,
    model_texts,
    text_vectorizers,
)
from bot.offers.splits import source_of, split_files  # noqa: E402
from nlu.normalise import normalise  # noqa: E402

CUT = 300
MAX_FALSE_ALARMS = 0.10
MISS_COST = 2.0
# The decision rule's margin: hand + model must save this much out-of-fold cost (3 lures = 6).
MIN_COST_GAIN = 6.0
OUTER_FOLDS, INNER_FOLDS = 5, 4
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = np.round(np.arange(0.05, 0.995, 0.01), 2)
# An n-gram is a feature only if this many sources use it: one site's boilerplate is not learned.
MIN_SOURCES = 3
MAX_WORDS, MAX_CHARS = 3000, 4000
# The lures whose text is the ad as written (the genre a user pastes): the only lures the model learns from.
VERBATIM_KINDS = ("verbatim", "quoted")
# Short ordinary ads written by hand for the unit tests (informal, one mild sign): the model must leave them unflagged.
WRITTEN_ADS_TESTS = "tests/unit/test_offers.py"


@dataclass(frozen=True)
class Variant:
    name: str
    words: bool
    chars: bool
    strip_layout: bool = False


# Fixed before any figure was seen; few on purpose (each one tried is a little fitting to the folds).
VARIANTS = (
    Variant("signs only (signs, abroad, hand score)", words=False, chars=False),
    Variant(f"signs + letter word 1-2-grams in >= {MIN_SOURCES} sources", words=True, chars=False),
    Variant(f"signs + words + char 3-5-grams in >= {MIN_SOURCES} sources", words=True, chars=True),
    Variant("signs + words + char 3-5-grams, layout stripped", words=True, chars=True, strip_layout=True),
)


@dataclass
class Items:
    """Each labelled offer twice (full, cut), with what the hand weights made of it."""

    texts: list[str]
    sign_rows: list[tuple[list[str], bool, float]]
    labels: np.ndarray
    groups: np.ndarray
    cut: np.ndarray  # this copy is the text cut to 300 characters
    short: np.ndarray  # an ordinary ad of at most 300 characters (its full copy), or any lure
    kind: np.ndarray  # lures: "verbatim"/"reported"
    hand_flagged: np.ndarray
    hand_low: np.ndarray  # the only verdict the model may change


def items_of(rows: list[dict], hand: OfferChecker) -> Items:
    columns: dict[str, list] = {k: [] for k in Items.__dataclass_fields__}
    for row in rows:
        for limit in (None, CUT):
            offer = truncate(row["text"], limit)
            verdict = hand.check(offer)
            lure = row["label"] == LURE
            columns["texts"].append(normalise(offer))
            columns["sign_rows"].append(([s.id for s in verdict.signs], verdict.abroad, verdict.score))
            columns["labels"].append(1 if lure else 0)
            columns["groups"].append(source_of(row["source_url"]))
            columns["cut"].append(limit is not None)
            columns["short"].append(lure or len(row["text"]) <= SHORT_AD_CHARS)
            columns["kind"].append(row.get("kind", "") if lure else "")
            columns["hand_flagged"].append(verdict.risk in FLAGGED)
            columns["hand_low"].append(verdict.risk == LOW)
    arrays = {k: np.array(v) for k, v in columns.items() if k not in ("texts", "sign_rows")}
    return Items(texts=columns["texts"], sign_rows=columns["sign_rows"], **arrays)


def subset(items: Items, keep: np.ndarray) -> Items:
    """The items where `keep` is true."""
    chosen = np.flatnonzero(keep)
    arrays = {k: getattr(items, k)[chosen] for k in Items.__dataclass_fields__ if k not in ("texts", "sign_rows")}
    return Items(texts=[items.texts[i] for i in chosen], sign_rows=[items.sign_rows[i] for i in chosen], **arrays)


def written_as_ads(items: Items) -> np.ndarray:
    """Ordinary ads and the lures written as ads (not news reports of one): what the model learns from."""
    return (items.labels == 0) | np.isin(items.kind, VERBATIM_KINDS)


def vocabulary(texts: list[str], groups: np.ndarray, settings: dict, limit: int) -> list[str]:
    """The n-grams used by at least MIN_SOURCES sources, the most widely used first."""
    vectorizer = CountVectorizer(binary=True, **settings)
    x = vectorizer.fit_transform(texts)
    sources, index = np.unique(groups, return_inverse=True)
    of_source = csr_matrix((np.ones(len(index)), (index, np.arange(len(index)))), shape=(len(sources), len(index)))
    spread = np.asarray(((of_source @ x) > 0).sum(axis=0)).ravel()
    names = vectorizer.get_feature_names_out()
    kept = [i for i in np.argsort(-spread, kind="stable") if spread[i] >= MIN_SOURCES][:limit]
    return sorted(names[i] for i in kept)


def fit(variant: Variant, items: Items, rows: np.ndarray, sign_ids: tuple[str, ...]) -> tuple[LearnedScore, float]:
    """The model fitted on `rows`: vocabulary, C by inner grouped CV, Platt on inner out-of-fold margins."""
    texts = model_texts([items.texts[i] for i in rows], variant.strip_layout)
    groups, y = items.groups[rows], items.labels[rows]
    words = vocabulary(texts, groups, WORDS, MAX_WORDS) if variant.words else []
    chars = vocabulary(texts, groups, CHARS, MAX_CHARS) if variant.chars else []
    vectorizers = text_vectorizers(words, chars)
    x = features(texts, [items.sign_rows[i] for i in rows], sign_ids, vectorizers)  # texts prepared above
    inner = grouped_folds(groups, y, INNER_FOLDS)
    settings = {"class_weight": "balanced", "max_iter": 5000}
    search = LogisticRegressionCV(Cs=list(C_GRID), cv=inner, scoring="neg_log_loss", **settings)
    chosen = float(search.fit(x, y).C_[0])
    model = LogisticRegression(C=chosen, **settings)
    margins = cross_val_predict(model, x, y, cv=inner, method="decision_function")
    platt = LogisticRegression().fit(margins.reshape(-1, 1), y)
    model.fit(x, y)
    calibration = (float(platt.coef_[0][0]), float(platt.intercept_[0]))
    learned = LearnedScore(
        sign_ids,
        vectorizers,
        model.coef_[0],
        float(model.intercept_[0]),
        calibration,
        0.5,
        True,
        "",
        variant.strip_layout,
    )
    return learned, chosen


def out_of_fold(variant: Variant, items: Items, sign_ids: tuple[str, ...]) -> tuple[np.ndarray, list[float]]:
    """Every item's probability from a model fitted on the other sources only."""
    probabilities = np.zeros(len(items.labels))
    chosen_cs = []
    for training, held_out in grouped_folds(items.groups, items.labels, OUTER_FOLDS):
        learned, c = fit(variant, items, training, sign_ids)
        chosen_cs.append(c)
        probabilities[held_out] = learned.probabilities(
            [items.texts[i] for i in held_out], [items.sign_rows[i] for i in held_out]
        )
    return probabilities, chosen_cs


@dataclass(frozen=True)
class Outcome:
    caught: int
    lures: int
    alarms: int
    ordinary: int

    @property
    def recall(self) -> float:
        return self.caught / max(1, self.lures)

    @property
    def false_alarms(self) -> float:
        return self.alarms / max(1, self.ordinary)

    @property
    def cost(self) -> float:
        return MISS_COST * (self.lures - self.caught) + self.alarms

    def __str__(self) -> str:
        return (
            f"recall {self.recall:.3f} ({self.caught}/{self.lures}), "
            f"false alarms {self.false_alarms:.3f} ({self.alarms}/{self.ordinary})"
        )


def outcome(flagged: np.ndarray, items: Items, view: np.ndarray) -> Outcome:
    lures, ordinary = view & (items.labels == 1), view & (items.labels == 0)
    return Outcome(int((flagged & lures).sum()), int(lures.sum()), int((flagged & ordinary).sum()), int(ordinary.sum()))


def flags(items: Items, probabilities: np.ndarray | None, threshold: float) -> np.ndarray:
    """What the checker would flag: the hand verdict, raised from low by the model when it is given."""
    if probabilities is None:
        return items.hand_flagged
    return items.hand_flagged | (items.hand_low & (probabilities >= threshold))


def views(items: Items) -> dict[str, np.ndarray]:
    full = ~items.cut
    return {
        "full texts": full,
        f"cut to {CUT} characters": items.cut,
        f"short ads (ordinary <= {SHORT_AD_CHARS} chars, full)": full & items.short,
    }


def cost(items: Items, flagged: np.ndarray) -> tuple[float, float]:
    """The cost over full and cut texts together, and the worse of their false-alarm rates."""
    parts = [outcome(flagged, items, view) for view in (~items.cut, items.cut)]
    return sum(p.cost for p in parts), max(p.false_alarms for p in parts)


def best_threshold(items: Items, probabilities: np.ndarray) -> tuple[float, float] | None:
    """(cost, threshold) of least cost with false alarms within the limit on full and cut texts."""
    best = None
    for threshold in THRESHOLDS:
        total, worst = cost(items, flags(items, probabilities, float(threshold)))
        if worst <= MAX_FALSE_ALARMS and (best is None or total < best[0]):
            best = (total, float(threshold))
    return best


def table(items: Items, columns: dict[str, np.ndarray]) -> str:
    lines = ["| view | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, view in views(items).items():
        lines.append(f"| {name} | " + " | ".join(str(outcome(f, items, view)) for f in columns.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    content = load_templates(ROOT / "content")[0].content
    hand = OfferChecker(content, learned="hand")
    rows = read_labelled(split_files("train")) + read_labelled(split_files("dev"))
    every_item = items_of(rows, hand)
    items = subset(every_item, written_as_ads(every_item))
    reported = subset(every_item, ~written_as_ads(every_item))
    sign_ids = tuple(sorted(content.signs))
    hand_cost, hand_worst = cost(items, items.hand_flagged)
    print(
        f"{len(rows)} items of train and dev; fitted and judged on the {len(items.labels) // 2} written as ads "
        f"({int(items.labels.sum()) // 2} lures, {int((items.labels == 0).sum()) // 2} ordinary; "
        f"{len(set(items.groups))} sources), each full and cut to {CUT}; {len(reported.labels) // 2} reported lures apart."
    )
    print(f"hand weights (in-sample): out-of-fold cost {hand_cost:.0f}, worst false alarms {hand_worst:.3f}\n")

    results = []
    for variant in VARIANTS:
        probabilities, chosen_cs = out_of_fold(variant, items, sign_ids)
        best = best_threshold(items, probabilities)
        results.append((variant, probabilities, best, chosen_cs))
        said = f"cost {best[0]:.0f} at p >= {best[1]:.2f}" if best else "no threshold within the false-alarm limit"
        print(f"{variant.name}: C per outer fold {chosen_cs}; {said}")
    feasible = [r for r in results if r[2] is not None]
    variant, probabilities, best, _ = min(feasible, key=lambda r: r[2][0]) if feasible else results[0]
    columns = {"hand weights (in-sample)": items.hand_flagged}
    if best is not None:
        columns[f"hand + model ({variant.name}, p >= {best[1]:.2f})"] = flags(items, probabilities, best[1])
    print("\nOut of fold, grouped by source:\n" + table(items, columns) + "\n")

    beats = best is not None and hand_cost - best[0] >= MIN_COST_GAIN
    threshold = best[1] if best is not None else float(THRESHOLDS[-1])
    learned, chosen = fit(variant, items, np.arange(len(items.labels)), sign_ids)
    print(on_reported_lures(reported, learned, threshold))
    note = (
        f"decided {_today()} by scripts/train_offer_model.py on train+dev pooled, the lures written as ads and the "
        f"ordinary ads only ({len(items.labels) // 2} items, full and cut to {CUT}; reported lures left out: genre), "
        f"{OUTER_FOLDS}-fold CV grouped by source: variant '{variant.name}'; out-of-fold cost "
        f"(2 x misses + false alarms, full and cut) hand weights {hand_cost:.0f} (in-sample), "
        + (f"hand + model {best[0]:.0f} at p >= {threshold:.2f}" if best else "no threshold keeps false alarms <= 0.10")
        + f"; rule: use only if at least {MIN_COST_GAIN:.0f} lower"
        + f" and the written ordinary ads of {WRITTEN_ADS_TESTS} stay unflagged; refitted on all of train+dev, C={chosen}"
    )
    data = {
        "note": note,
        "use": beats,
        "variant": variant.name,
        "strip_layout": variant.strip_layout,
        "sign_ids": list(sign_ids),
        "words": [name for kind, v in learned.vectorizers if kind == "word" for name in v.vocabulary],
        "chars": [name for kind, v in learned.vectorizers if kind == "chars" for name in v.vocabulary],
        "coefficients": [round(float(c), 5) for c in learned.coefficients],
        "intercept": learned.intercept,
        "platt": list(learned.platt),
        "thresholds": {"medium": threshold},
    }
    if beats:
        failing = failing_tests(data, use=True) - failing_tests(data, use=False)
        data["use"] = failing == 0
        data["note"] += (
            f": {failing} more of those tests fail with it (it learned the sources' style): hand weights kept"
            if failing
            else ": learned model used"
        )
    else:
        data["note"] += ": hand weights kept"
    write(data)
    print(data["note"])
    for name, weight in load().heaviest(args.top):
        print(f"{weight:+.2f}  {name}")


def on_reported_lures(reported: Items, learned: LearnedScore, threshold: float) -> str:
    """Recall on the reported lures, which the model never learned from (in-sample sources: not the decision's basis)."""
    probabilities = learned.probabilities(reported.texts, reported.sign_rows)
    model = flags(reported, probabilities, threshold)
    lines = [f"Refitted model on the {len(reported.labels) // 2} reported lures (not the decision's basis):"]
    for name, view in (("full", ~reported.cut), (f"cut to {CUT}", reported.cut)):
        hand, raised = (outcome(f, reported, view) for f in (reported.hand_flagged, model))
        lines.append(
            f"  {name}: hand weights recall {hand.recall:.3f} ({hand.caught}/{hand.lures}), "
            f"hand + model {raised.recall:.3f} ({raised.caught}/{raised.lures})"
        )
    return "\n".join(lines)


def write(data: dict) -> None:
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    load.cache_clear()


def failing_tests(data: dict, use: bool) -> int:
    """How many tests of WRITTEN_ADS_TESTS fail with `data` written, the model in use or not.

    The data's lures are mostly news texts and its ordinary ads mostly job-board
    cards: grouped by source, a model can still learn that split of genres and
    flag short informal ads, which the data barely holds. The tests' ordinary
    ads, written by hand in that informal style, are the check (the count with
    the model off is subtracted, so a failure of something else is not blamed on it).
    """
    write(dict(data, use=use))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / WRITTEN_ADS_TESTS)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    failed = re.search(r"(\d+) failed", result.stdout)
    return int(failed.group(1)) if failed else (0 if result.returncode == 0 else 1)


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


if __name__ == "__main__":
    main()
