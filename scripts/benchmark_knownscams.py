"""The list of known scam recruiters: near-duplicate precision/recall on the lure collection, lookup time at 100,000 entries.

.venv/bin/python scripts/benchmark_knownscams.py [--entries 100000] [--runs 200]

Matching: the lures of the in-sample files and of the train and dev splits
(never the test split: its texts are not for reading) are halved by a hash of
their id. The listed half goes in a temporary list; each listed lure, edited
(spacing, diacritics removed, one word swapped, emoji added, cut to two
thirds, all of these at once), must find itself: found is a true positive,
found as another entry or not found a miss. The unlisted half (as written and
edited) and every ordinary ad must find nothing: any lure found is a false
positive. Lures under 8 words cannot be listed (too short to match) and are
left out.

Speed: a temporary SQLite list with `--entries` entries (phones, chat
accounts, domains, short links, companies, lures in proportions a hotline's
list might have), filled through the import path; then the time of
`KnownScams.reports` for real offers (the lures and ordinary ads, one at a time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knownscams import normalise as n  # noqa: E402
from bot.knownscams import similar  # noqa: E402
from bot.knownscams.store import Candidate, KnownScams, ListEditor, Protected  # noqa: E402
from bot.store import Database  # noqa: E402

DATA = ROOT / "tests" / "data"
FILES = [
    DATA / "offers_lures.jsonl",
    DATA / "offers_ordinary.jsonl",
    DATA / "offers" / "train.jsonl",
    DATA / "offers" / "dev.jsonl",
]
EMOJI = ["🔥", "💰", "✅", "👉", "📞", "💯", "⭐"]
CHECKED = dt.date(2026, 3, 1)


def rows() -> list[dict]:
    seen, result = set(), []
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["id"] not in seen:
                    seen.add(row["id"])
                    result.append(row)
    return result


def listable(text: str) -> bool:
    return len(similar.shingles(n.lure_words(text))) >= similar.MIN_SHINGLES


def edits(text: str, vocabulary: list[str], rng: random.Random) -> dict[str, str]:
    words = text.split()

    def swapped(ws: list[str]) -> list[str]:
        ws = list(ws)
        ws[rng.randrange(len(ws))] = rng.choice(vocabulary)
        return ws

    def spaced(t: str) -> str:
        return t.replace(" ", "  ").replace(",", " ,").replace(".", " . ")

    def emoji(t: str) -> str:
        return f"{rng.choice(EMOJI)}{rng.choice(EMOJI)} " + t.replace(". ", f" {rng.choice(EMOJI)}. ") + " ✅"

    cut = " ".join(words[: max(1, (len(words) * 2) // 3)])
    return {
        "spacing": spaced(text),
        "no diacritics": _fold(text),
        "one word swapped": " ".join(swapped(words)),
        "emoji": emoji(text),
        "cut to 2/3": cut,
        "all at once": emoji(spaced(_fold(" ".join(swapped(words))))),
    }


def _fold(text: str) -> str:
    from nlu.normalise import fold

    return fold(text)


def listed_half(row_id: str) -> bool:
    return hashlib.sha256(row_id.encode()).digest()[0] % 2 == 0


def matching(database_dir: Path) -> None:
    data = rows()
    lures = [r for r in data if r["label"] == "lure" and listable(r["text"])]
    ordinary = [r for r in data if r["label"] != "lure"]
    listed = [r for r in lures if listed_half(r["id"])]
    unlisted = [r for r in lures if not listed_half(r["id"])]
    db = Database(f"sqlite:///{database_dir / 'match.db'}")
    editor = ListEditor(db, Protected(frozenset(), frozenset()))
    # Two collected lures may be one text quoted by two papers: listed once, as the list would.
    entries: dict[str, Candidate] = {}
    for r in listed:
        value = n.lure(r["text"]) or ""
        entries.setdefault(value, Candidate("lure", value, r["text"], r["id"], CHECKED))
    editor.add_all(list(entries.values()), added_by="benchmark")
    lookup = KnownScams(db)
    vocabulary = sorted({w for r in data for w in r["text"].split()})
    rng = random.Random(16)

    found_right: Counter = Counter()
    tried: Counter = Counter()
    false_pos: Counter = Counter()
    negatives: Counter = Counter()
    for r in listed:
        for name, edited in edits(r["text"], vocabulary, rng).items():
            tried[name] += 1
            reports = lookup.reports(edited)
            lures_found = [x for x in reports if x.kind == "lure"]
            same = lures_found and n.lure(lures_found[0].display) == n.lure(r["text"])
            if same:
                found_right[name] += 1
            elif lures_found:
                false_pos[name] += 1
    for r in unlisted:
        for name, edited in {"as written": r["text"], **edits(r["text"], vocabulary, rng)}.items():
            negatives[f"unlisted lure, {name}"] += 1
            if any(x.kind == "lure" for x in lookup.reports(edited)):
                false_pos[f"unlisted lure, {name}"] += 1
    for r in ordinary:
        negatives["ordinary ad"] += 1
        if any(x.kind == "lure" for x in lookup.reports(r["text"])):
            false_pos["ordinary ad"] += 1

    print(
        f"## Near-duplicate lures: {len(entries)} listed lures, {len(unlisted)} unlisted, {len(ordinary)} ordinary ads\n"
    )
    print("| edit | recall (found as itself) | found as another entry |")
    print("|---|---|---|")
    for name in tried:
        print(
            f"| {name} | {found_right[name] / tried[name]:.3f} ({found_right[name]}/{tried[name]}) | {false_pos[name]} |"
        )
    print("\n| negatives | texts | matched a listed lure |")
    print("|---|---|---|")
    for name in negatives:
        print(f"| {name} | {negatives[name]} | {false_pos[name]} |")
    tp = sum(found_right.values())
    fp = sum(false_pos.values())
    print(
        f"\nOverall: recall {tp / sum(tried.values()):.3f} ({tp}/{sum(tried.values())}), precision {tp / (tp + fp):.3f} ({tp}/{tp + fp})\n"
    )


def synthetic_entries(count: int, lures: list[str], rng: random.Random) -> list[Candidate]:
    """Entries shaped like a real list: mostly phone numbers, some accounts, sites, companies and lures."""
    vocabulary = sorted({w for t in lures for w in n.lure_words(t)})
    shares = [
        ("phone", 0.70),
        ("telegram", 0.08),
        ("facebook", 0.06),
        ("domain", 0.05),
        ("short_link", 0.02),
        ("company", 0.04),
        ("lure", 0.05),
    ]
    entries = []
    for kind, share in shares:
        for i in range(int(count * share)):
            if kind == "phone":
                display = f"0{rng.choice('35789')}{rng.randrange(10**8):08d}"
            elif kind == "telegram":
                display = f"t.me/tuyendung_{i}_{rng.randrange(10**6)}"
            elif kind == "facebook":
                display = f"facebook.com/vieclam.{i}.{rng.randrange(10**6)}"
            elif kind == "domain":
                display = f"viec-{i}-{rng.randrange(10**6)}.xyz"
            elif kind == "short_link":
                display = f"bit.ly/{i:x}{rng.randrange(16**6):06x}"
            elif kind == "company":
                display = "Công ty TNHH " + " ".join(rng.choice(vocabulary) for _ in range(3)) + f" {i}"
            else:
                # A real lure with a third of its words changed: realistic shingles, distinct entries.
                words = n.lure_words(rng.choice(lures))
                words = [rng.choice(vocabulary) if rng.random() < 0.33 else w for w in words] + [str(i)]
                display = " ".join(words)
            value = n.normalised(kind, display)
            if value:
                entries.append(Candidate(kind, value, display, "benchmark", CHECKED))
    unique = {(e.kind, e.value): e for e in entries}
    return list(unique.values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def speed(path: Path, count: int, runs: int) -> None:
    data = rows()
    lure_texts = [r["text"] for r in data if r["label"] == "lure" and listable(r["text"])]
    rng = random.Random(2026)
    reuse = path.exists()
    db = Database(f"sqlite:///{path}")
    editor = ListEditor(db, Protected(frozenset(), frozenset()))
    if not reuse:
        started = time.perf_counter()
        editor.add_all(synthetic_entries(count, lure_texts, rng), added_by="benchmark")
        print(f"Filled through the import path in {time.perf_counter() - started:.0f} s.")
    kinds = Counter(e.kind for e in editor.entries())
    lookup = KnownScams(db)
    offers = [r["text"] for r in data]
    for text in offers[:20]:  # warm-up: the database's pages, compiled statements
        lookup.reports(text)
    lengths = [len(offers[i % len(offers)]) for i in range(runs)]
    wall, cpu = timed(lookup, [offers[i % len(offers)] for i in range(runs)])
    long_wall, long_cpu = timed(lookup, [" ".join(offers)[:3000]] * runs)  # as scripts/benchmark_offers.py times
    with_links = offers_with_links(offers, [e.value for e in editor.entries() if e.kind == "domain"], runs, rng)
    links_wall, links_cpu = timed(lookup, with_links)
    resembling = sum(any(r.lookalike for r in lookup.reports(text)) for text in with_links)
    print(f"## Lookup time: {sum(kinds.values())} entries ({', '.join(f'{k} {v}' for k, v in kinds.items())})\n")
    print(
        f"One offer's lookup, {runs} real offers (median {statistics.median(lengths):.0f}, max {max(lengths)} characters): "
        + spread(wall, cpu)
    )
    print(f"A 3,000-character offer, {runs} runs: " + spread(long_wall, long_cpu))
    print(
        f"{runs} real offers each with a link (half resemble a listed domain: {resembling} found as resembling): "
        + spread(links_wall, links_cpu)
    )


def offers_with_links(offers: list[str], listed_domains: list[str], runs: int, rng: random.Random) -> list[str]:
    """Real offers ending with a link: a listed domain's name under another suffix, or an unlisted domain."""
    texts = []
    for i in range(runs):
        if i % 2 == 0:
            link = rng.choice(listed_domains).rsplit(".", 1)[0] + ".top/dang-ky"
        else:
            link = f"https://tuyen-dung-{i}.net/form"
        texts.append(f"{offers[i % len(offers)]} Đăng ký tại {link}")
    return texts


def timed(lookup: KnownScams, texts: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each text's lookup."""
    wall, cpu = [], []
    for text in texts:
        n.fold.cache_clear()  # a new offer each time, as in use
        started, started_cpu = time.perf_counter(), time.process_time()
        lookup.reports(text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def spread(wall: list[float], cpu: list[float]) -> str:
    return (
        f"wall p50 {percentile(wall, 0.5):.1f} ms, p95 {percentile(wall, 0.95):.1f} ms, max {max(wall):.1f} ms; "
        f"CPU p50 {percentile(cpu, 0.5):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-matching", action="store_true")
    parser.add_argument("--db", help="the speed test's SQLite file: filled when absent, reused when present")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        if not args.skip_matching:
            matching(Path(directory))
        if not args.skip_speed:
            speed(Path(args.db) if args.db else Path(directory) / "speed.db", args.entries, args.runs)


if __name__ == "__main__":
    main()
