"""Measuring the checker on labelled offers: recall on lures, false alarms on ordinary ads.

Each line of the input files is a JSON object with "text" and "label"
("lure" or "ordinary"). High and medium count as flagged.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from bot.offers.checker import HIGH, LOW, MEDIUM, UNCLEAR, OfferChecker

LURE, ORDINARY = "lure", "ordinary"
FLAGGED = (HIGH, MEDIUM)
RISKS = (HIGH, MEDIUM, LOW, UNCLEAR)


@dataclass
class Evaluation:
    confusion: Dict[str, Counter]
    sign_counts: Dict[str, Counter]
    totals: Counter
    missed: List[str]
    false_alarms: List[str]

    @property
    def recall(self) -> float:
        lures = self.confusion[LURE]
        return sum(lures[r] for r in FLAGGED) / max(1, sum(lures.values()))

    @property
    def false_positive_rate(self) -> float:
        ordinary = self.confusion[ORDINARY]
        return sum(ordinary[r] for r in FLAGGED) / max(1, sum(ordinary.values()))


def read_labelled(paths: Iterable[Path]) -> List[dict]:
    rows = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if row.get("label") not in (LURE, ORDINARY):
                    raise ValueError(f"{path}:{number}: label must be 'lure' or 'ordinary'")
                rows.append(row)
    return rows


def only_usable(rows: List[dict], review: Path) -> List[dict]:
    """Keep the rows a separate review judged to be offer texts (see tests/data/README.md)."""
    usable = {}
    for line in Path(review).read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            usable[item["id"]] = item["usable"]
    return [r for r in rows if usable.get(r.get("id"), True)]


def truncate(text: str, limit: Optional[int]) -> str:
    """The first `limit` characters, cut at a word boundary."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0]


def evaluate(checker: OfferChecker, rows: List[dict], limit: Optional[int] = None) -> Evaluation:
    confusion: Dict[str, Counter] = defaultdict(Counter)
    sign_counts: Dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    missed, false_alarms = [], []
    for row in rows:
        verdict = checker.check(truncate(row["text"], limit))
        label = row["label"]
        totals[label] += 1
        confusion[label][verdict.risk] += 1
        for sign in verdict.signs:
            sign_counts[sign.id][label] += 1
        if label == LURE and verdict.risk not in FLAGGED:
            missed.append(row.get("id", "?"))
        if label == ORDINARY and verdict.risk in FLAGGED:
            false_alarms.append(row.get("id", "?"))
    return Evaluation(confusion, sign_counts, totals, missed, false_alarms)


def report(evaluation: Evaluation, heading: str) -> str:
    lines = [f"## {heading}", ""]
    lines.append(f"recall on lures: {evaluation.recall:.3f} ({sum(evaluation.confusion[LURE][r] for r in FLAGGED)}/{evaluation.totals[LURE]})")
    lines.append(
        f"false-positive rate on ordinary ads: {evaluation.false_positive_rate:.3f} "
        f"({sum(evaluation.confusion[ORDINARY][r] for r in FLAGGED)}/{evaluation.totals[ORDINARY]})"
    )
    lines += ["", "| label | " + " | ".join(RISKS) + " |", "|---|" + "---|" * len(RISKS)]
    for label in (LURE, ORDINARY):
        lines.append(f"| {label} | " + " | ".join(str(evaluation.confusion[label][r]) for r in RISKS) + " |")
    lines += ["", "| sign | fires on lures | fires on ordinary ads |", "|---|---|---|"]
    for sign, counts in sorted(evaluation.sign_counts.items(), key=lambda kv: -kv[1][LURE]):
        lines.append(
            f"| {sign} | {counts[LURE] / max(1, evaluation.totals[LURE]):.1%} | "
            f"{counts[ORDINARY] / max(1, evaluation.totals[ORDINARY]):.1%} |"
        )
    lines += ["", f"missed lures: {', '.join(evaluation.missed) or '-'}",
              f"false alarms: {', '.join(evaluation.false_alarms) or '-'}", ""]
    return "\n".join(lines)
