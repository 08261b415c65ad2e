"""Checker speed: p50/p95 to check a 3,000-character offer; OCR time for a phone screenshot.

.venv/bin/python tests/benchmarks/benchmark_offers.py [--runs 200]

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    templates, _ = load_templates(ROOT / "content")
    checker = OfferChecker(templates.content)
    rows = [json.loads(row) for row in (ROOT / "tests/data/offers_lures.jsonl").read_text().splitlines() if row.strip()]
    offer = long_offer(rows)
    checker.check(offer)  # warm-up: compiled patterns, caches
    timings, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        checker.check(offer)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    image = screenshot(OFFER_LINES)
    ocr = []
    for _ in range(5):
        started = time.perf_counter()
        asyncio.run(text_from_image_bytes(image))
        ocr.append(time.perf_counter() - started)
    print(
        f"check a {len(offer)}-character offer, {args.runs} runs: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
        f"(CPU time p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms; "
        f"wall time includes waiting for a shared core)"
    )
    print(f"OCR of a 1080x1920 screenshot, 5 runs: median {statistics.median(ocr):.2f} s, max {max(ocr):.2f} s")


if __name__ == "__main__":
    main()
