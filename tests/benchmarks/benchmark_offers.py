"""Checker speed: p50/p95 to check a 3,000-character offer; OCR time for a phone screenshot.

.venv/bin/python tests/benchmarks/benchmark_offers.py [--runs 200] [--with-model]

--with-model: the stored learned model in use (even when offer_model.json keeps
the hand weights), on ordinary ads joined to 3,000 characters, whose verdict is
low, the only one the model is computed for: its worst case.

Under tests/ because it draws its screenshot with the tests' helper (tests/support/screenshots.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.screenshots import OFFER_LINES, screenshot  # noqa: E402

from bot.content import load_templates  # noqa: E402
from bot.offers import OfferChecker  # noqa: E402
from bot.offers.learned import load  # noqa: E402
from bot.offers.ocr import text_from_image_bytes  # noqa: E402


def long_offer(rows, length=3000) -> str:
    """Real labelled offers joined until the text is `length` characters."""
    text = ""
    while len(text) < length:
        text += " ".join(r["text"] for r in rows) + " "
    return text[:length]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(checker, offer, runs):
    """Wall and CPU milliseconds of each check."""
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        checker.check(offer)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return timings, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--with-model", action="store_true", help="the stored learned model in use, on a low verdict")
    args = parser.parse_args()
    templates, _ = load_templates(ROOT / "content")
    started = time.perf_counter()
    checker = OfferChecker(templates.content, learned=load() if args.with_model else "auto")
    loading = (time.perf_counter() - started) * 1000
    data = "tests/data/offers_ordinary.jsonl" if args.with_model else "tests/data/offers_lures.jsonl"
    rows = [json.loads(row) for row in (ROOT / data).read_text().splitlines() if row.strip()]
    offer = long_offer(rows)
    verdict = checker.check(offer)  # warm-up: compiled patterns, caches
    print(f"checker built in {loading:.0f} ms; the offer's verdict: {verdict.risk}, probability {verdict.probability}")
    checkers = [("", checker)]
    if args.with_model:
        checkers.append((" (same offer, hand weights alone)", OfferChecker(templates.content, learned="hand")))
    for label, each in checkers:
        timings, cpu = timed(each, offer, args.runs)
        print(
            f"check a {len(offer)}-character offer{label}, {args.runs} runs: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
            f"(CPU time p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms; "
            f"wall time includes waiting for a shared core)"
        )
    image = screenshot(OFFER_LINES)
    ocr = []
    for _ in range(5):
        started = time.perf_counter()
        asyncio.run(text_from_image_bytes(image))
        ocr.append(time.perf_counter() - started)
    print(f"OCR of a 1080x1920 screenshot, 5 runs: median {statistics.median(ocr):.2f} s, max {max(ocr):.2f} s")


if __name__ == "__main__":
    main()
