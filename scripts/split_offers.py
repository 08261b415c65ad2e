"""Split the collected offers into train / dev / test by source (rule: bot/offers/splits.py).

    .venv/bin/python scripts/split_offers.py tests/data/offers/collected_lures.jsonl tests/data/offers/collected_ordinary.jsonl

Writes tests/data/offers/{train,dev,test}.jsonl and prints only counts: the
test split's texts are not for reading.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.offers.splits import IN_SAMPLE, SPLIT_DIR, assign, read_rows, source_of  # noqa: E402

REQUIRED = ("id", "label", "text", "source_url")


def usable(row: dict) -> bool:
    return (
        all(row.get(k) for k in REQUIRED)
        and row["label"] in ("lure", "ordinary")
        and str(row["source_url"]).startswith("http")
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("collected", nargs="+", type=Path)
    args = parser.parse_args()
    collected = read_rows(args.collected)
    good = [r for r in collected if usable(r)]
    splits = assign(read_rows(IN_SAMPLE), good)
    SPLIT_DIR.mkdir(parents=True, exist_ok=True)
    for split, rows in splits.items():
        with open(SPLIT_DIR / f"{split}.jsonl", "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    kept = sum(len(r) for r in splits.values())
    print(
        f"read {len(collected)}, without id/label/text/source URL {len(collected) - len(good)}, "
        f"near duplicates dropped {len(good) - kept}"
    )
    for split, rows in splits.items():
        sources = {
            label: len({source_of(r["source_url"]) for r in rows if r["label"] == label})
            for label in ("lure", "ordinary")
        }
        print(split, dict(Counter(r["label"] for r in rows)), "sources:", sources)


if __name__ == "__main__":
    main()
