"""Fit the learned weighing of the offer checker's signs (bot/offers/learned.py).

    .venv/bin/python scripts/train_offer_model.py [--top 25]

Fitted on the train split only (C by 5-fold cross-validation, Platt scaling on
out-of-fold scores). The medium threshold is picked where a missed lure costs
twice a false alarm and false alarms stay within 10%: on the dev split when it
has at least MIN_DEV of each label, else on train's out-of-fold probabilities
(dev is then too small to pick from). The model is used only if it beats the
hand weights on dev by that same cost, on a dev split with at least MIN_DEV of
each label.
Writes bot/offers/offer_model.json. Never reads the test split.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_templates  # noqa: E402
from bot.offers.checker import ONE_MILD_SIGN, OfferChecker  # noqa: E402
from bot.offers.evaluation import LURE, evaluate, read_labelled, truncate  # noqa: E402
from bot.offers.learned import CHARS, MODEL_PATH, WORDS, LearnedScore, features, load, text_vectorizers  # noqa: E402
from bot.offers.splits import split_files  # noqa: E402
from nlu.normalise import normalise  # noqa: E402

CUT = 300
MAX_FALSE_ALARMS = 0.10
MISS_COST = 2.0
MIN_DEV = 30
THRESHOLDS = np.arange(0.05, 0.96, 0.025)


def best_threshold(probabilities, hand_flags, any_sign, labels):
    """The threshold of least cost on out-of-fold probabilities, as the checker would decide."""
    best = None
    for threshold in THRESHOLDS:
        flagged = hand_flags | ((probabilities >= threshold) & any_sign)
        misses = int(((labels == 1) & ~flagged).sum())
        alarms = int(((labels == 0) & flagged).sum())
        fa = alarms / max(1, int((labels == 0).sum()))
        c = MISS_COST * misses + alarms
        if fa <= MAX_FALSE_ALARMS and (best is None or c < best[0]):
            best = (c, fa, float(threshold))
    return best


def cost(checker, rows):
    """Misses count double; both full texts and texts cut to 300 characters."""
    total, worst_fa = 0.0, 0.0
    for limit in (None, CUT):
        result = evaluate(checker, rows, limit=limit)
        total += MISS_COST * len(result.missed) + len(result.false_alarms)
        worst_fa = max(worst_fa, result.false_positive_rate)
    return total, worst_fa


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    templates, _ = load_templates(ROOT / "content")
    content = templates.content
    hand = OfferChecker(content, learned="hand")
    train = read_labelled(split_files("train"))
    dev = read_labelled(split_files("dev"))
    texts, sign_rows, labels, forced, any_sign = [], [], [], [], []
    for row in train:
        for limit in (None, CUT):  # short versions too: users paste short ads
            offer = truncate(row["text"], limit)
            verdict = hand.check(offer)
            texts.append(normalise(offer))
            sign_rows.append(([s.id for s in verdict.signs], verdict.abroad, verdict.score))
            labels.append(1 if row["label"] == LURE else 0)
            # Flagged whatever the model says: a floor, or the hand score's high.
            forced.append(verdict.risk == "high" or verdict.floor == "medium")
            any_sign.append(verdict.score > ONE_MILD_SIGN and verdict.risk != "unclear")
    y = np.array(labels)
    words = CountVectorizer(min_df=3, max_features=3000, **WORDS).fit(texts).get_feature_names_out()
    chars = CountVectorizer(min_df=3, max_features=4000, **CHARS).fit(texts).get_feature_names_out()
    sign_ids = tuple(sorted(content.signs))
    x = features(texts, sign_rows, sign_ids, text_vectorizers(words, chars))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    chosen = (
        LogisticRegressionCV(
            Cs=[0.1, 0.3, 1, 3, 10, 30], cv=folds, class_weight="balanced", scoring="neg_log_loss", max_iter=5000
        )
        .fit(x, y)
        .C_[0]
    )
    model = LogisticRegression(C=chosen, class_weight="balanced", max_iter=5000)
    margins = cross_val_predict(model, x, y, cv=folds, method="decision_function")
    platt = LogisticRegression().fit(margins.reshape(-1, 1), y)
    model.fit(x, y)
    learned = LearnedScore(
        sign_ids,
        text_vectorizers(words, chars),
        model.coef_[0],
        float(model.intercept_[0]),
        (float(platt.coef_[0][0]), float(platt.intercept_[0])),
        0.5,
        True,
        "",
    )

    hand_cost, hand_fa = cost(hand, dev)
    dev_counts = [sum(1 for r in dev if r["label"] == label) for label in (LURE, "ordinary")]
    if min(dev_counts) >= MIN_DEV:
        picked_on = "dev"
        best = None
        for threshold in THRESHOLDS:
            c, fa = cost(OfferChecker(content, learned=dataclasses.replace(learned, medium=float(threshold))), dev)
            if fa <= MAX_FALSE_ALARMS and (best is None or c < best[0]):
                best = (c, fa, float(threshold))
    else:
        picked_on = f"train out-of-fold (dev has {dev_counts[0]} lures, {dev_counts[1]} ordinary ads)"
        oof = platt.predict_proba(margins.reshape(-1, 1))[:, 1]
        best = best_threshold(oof, np.array(forced), np.array(any_sign), y)
    if best is not None:
        learned = dataclasses.replace(learned, medium=best[2])
        learned_cost, learned_fa = cost(OfferChecker(content, learned=learned), dev)
        best = (learned_cost, learned_fa, best[2])
    # With a handful of dev items "better on dev" is no evidence: then the hand weights stay.
    use = best is not None and best[0] < hand_cost and min(dev_counts) >= MIN_DEV
    note = (
        f"train {len(train)} items (x2 with the 300-character cut), C={chosen}; threshold picked on {picked_on}; "
        f"dev {len(dev)} items, cost (2 x misses + false alarms, full and cut): hand {hand_cost:.0f} "
        f"(worst false alarms {hand_fa:.2f}), "
        + (
            f"learned {best[0]:.0f} at medium >= {best[2]:.3f} (worst false alarms {best[1]:.2f})"
            if best
            else "no learned threshold keeps false alarms within 10%"
        )
        + (
            ": learned weights used"
            if use
            else ": hand weights kept"
            + ("" if min(dev_counts) >= MIN_DEV else f" (dev has under {MIN_DEV} of a label)")
        )
    )
    data = {
        "note": note,
        "use": use,
        "sign_ids": list(sign_ids),
        "words": list(words),
        "chars": list(chars),
        "coefficients": [round(float(c), 5) for c in model.coef_[0]],
        "intercept": float(model.intercept_[0]),
        "platt": [float(platt.coef_[0][0]), float(platt.intercept_[0])],
        "thresholds": {"medium": best[2] if best else 0.5},
    }
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    load.cache_clear()
    print(note)
    for name, weight in load().heaviest(args.top):
        print(f"{weight:+.2f}  {name}")


if __name__ == "__main__":
    main()
