"""Measuring the checker on labelled offers: recall on lures, false alarms on ordinary ads.

Each line of the input files is a JSON object with "text" and "label"
("lure" or "ordinary"). High and medium count as flagged. The splits and the
rule that made them are in bot/offers/splits.py; the test split is reported
by family only, so nobody reads its items while tuning.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.offers.checker import HIGH, LOW, MEDIUM, UNCLEAR, OfferChecker, Verdict

LURE, ORDINARY = "lure", "ordinary"
FLAGGED = (HIGH, MEDIUM)
RISKS = (HIGH, MEDIUM, LOW, UNCLEAR)
# A short ad: a job-board card or an informal post (title, pay, place).
SHORT_AD_CHARS = 300


@dataclass
class Evaluation:
    confusion: dict[str, Counter]
    sign_counts: dict[str, Counter]
    totals: Counter
    missed: list[str]
    false_alarms: list[str]
    missed_families: Counter = field(default_factory=Counter)
    false_alarm_families: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        lures = self.confusion[LURE]
        return sum(lures[r] for r in FLAGGED) / max(1, sum(lures.values()))

    @property
    def false_positive_rate(self) -> float:
        ordinary = self.confusion[ORDINARY]
        return sum(ordinary[r] for r in FLAGGED) / max(1, sum(ordinary.values()))

    def sign_precision(self, sign: str) -> float:
        counts = self.sign_counts[sign]
        return counts[LURE] / max(1, counts[LURE] + counts[ORDINARY])

    def sign_recall(self, sign: str) -> float:
        return self.sign_counts[sign][LURE] / max(1, self.totals[LURE])


def read_labelled(paths: Iterable[Path]) -> list[dict]:
    rows = []
    for path in paths:
        if not Path(path).exists():
            continue
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if row.get("label") not in (LURE, ORDINARY):
                    raise ValueError(f"{path}:{number}: label must be 'lure' or 'ordinary'")
                rows.append(row)
    return rows


def only_usable(rows: list[dict], review: Path) -> list[dict]:
    """Keep the rows a separate review judged to be offer texts (see tests/data/README.md)."""
    usable = {}
    for line in Path(review).read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            usable[item["id"]] = item["usable"]
    return [r for r in rows if usable.get(r.get("id"), True)]


def short_ads(rows: list[dict]) -> list[dict]:
    """The ordinary ads that are short cards or informal posts (and every lure, to keep recall)."""
    return [r for r in rows if r["label"] == LURE or len(r["text"]) <= SHORT_AD_CHARS]


def informal_ads(rows: list[dict]) -> list[dict]:
    """The ordinary ads that are informal posts (Chợ Tốt, groups), and every lure."""
    return [r for r in rows if r["label"] == LURE or r.get("family") == "informal_short"]


def lures_of_kind(rows: list[dict], kinds: Sequence[str]) -> list[dict]:
    """Every ordinary ad, and the lures of these kinds ("verbatim" ad text, or "reported" as received)."""
    return [r for r in rows if r["label"] == ORDINARY or r.get("kind") in kinds]


def truncate(text: str, limit: int | None) -> str:
    """The first `limit` characters, cut at a word boundary."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0]


def evaluate(
    checker: OfferChecker | Callable[[str], Verdict], rows: list[dict], limit: int | None = None
) -> Evaluation:
    check = checker.check if isinstance(checker, OfferChecker) else checker
    confusion: dict[str, Counter] = defaultdict(Counter)
    sign_counts: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    result = Evaluation(confusion, sign_counts, totals, [], [])
    for row in rows:
        verdict = check(truncate(row["text"], limit))
        label = row["label"]
        totals[label] += 1
        confusion[label][verdict.risk] += 1
        for sign in verdict.signs:
            sign_counts[sign.id][label] += 1
        family = row.get("family") or "unlabelled"
        if label == LURE and verdict.risk not in FLAGGED:
            result.missed.append(row.get("id", "?"))
            result.missed_families[family] += 1
        if label == ORDINARY and verdict.risk in FLAGGED:
            result.false_alarms.append(row.get("id", "?"))
            result.false_alarm_families[family] += 1
    return result


def _count(evaluation: Evaluation, label: str) -> str:
    flagged = sum(evaluation.confusion[label][r] for r in FLAGGED)
    return f"{flagged}/{evaluation.totals[label]}"


def summary(evaluation: Evaluation) -> str:
    return (
        f"recall {evaluation.recall:.3f} ({_count(evaluation, LURE)}), "
        f"false alarms {evaluation.false_positive_rate:.3f} ({_count(evaluation, ORDINARY)})"
    )


def report(evaluation: Evaluation, heading: str, items: bool = True) -> str:
    """The figures; `items=False` names families instead of items (for the test split)."""
    lines = [f"## {heading}", ""]
    lines.append(f"recall on lures: {evaluation.recall:.3f} ({_count(evaluation, LURE)})")
    lines.append(
        f"false-positive rate on ordinary ads: {evaluation.false_positive_rate:.3f} ({_count(evaluation, ORDINARY)})"
    )
    lines += ["", "| label | " + " | ".join(RISKS) + " |", "|---|" + "---|" * len(RISKS)]
    for label in (LURE, ORDINARY):
        lines.append(f"| {label} | " + " | ".join(str(evaluation.confusion[label][r]) for r in RISKS) + " |")
    lines += ["", "| sign | precision | recall on lures | fires on ordinary ads |", "|---|---|---|---|"]
    for sign, counts in sorted(evaluation.sign_counts.items(), key=lambda kv: -kv[1][LURE]):
        lines.append(
            f"| {sign} | {evaluation.sign_precision(sign):.2f} | {evaluation.sign_recall(sign):.1%} | "
            f"{counts[ORDINARY] / max(1, evaluation.totals[ORDINARY]):.1%} |"
        )
    lines.append("")
    if items:
        lines += [
            f"missed lures: {', '.join(evaluation.missed) or '-'}",
            f"false alarms: {', '.join(evaluation.false_alarms) or '-'}",
        ]
    lines += [
        f"missed lures by family: {_families(evaluation.missed_families)}",
        f"false alarms by family: {_families(evaluation.false_alarm_families)}",
        "",
    ]
    return "\n".join(lines)


def _families(counts: Counter) -> str:
    return ", ".join(f"{family} {n}" for family, n in counts.most_common()) or "-"
