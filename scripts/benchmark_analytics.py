"""Time every campaign indicator, and the console's dashboard page, on 1,000,000 generated analytics events.

    .venv/bin/python scripts/benchmark_analytics.py [--events 1000000] [--seed 7]

The events are synthetic (a seeded mix of kinds, channels, verdicts, signs,
quizzes over twelve months, 40,000 people): they measure speed, not the campaign.
Prints the time of compute_all over the whole year and over one month (as the
dashboard's first view of a range: no month kept yet), and of the whole dashboard page (GET /staff/analytics as a signed-in campaign
account: queries, SVG charts, tables, HTML) for one month and the whole year,
best of three.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, insert

from bot.analytics import Filters, Recorder, compute_all
from bot.analytics.events import AnalyticsEvent, MonthlyTally, time_fields
from bot.store import Database, monthly_key_for
from contract.paths import ROOT

START = datetime(2025, 12, 1, tzinfo=timezone.utc)
CHANNELS = ["telegram", "zalo", "messenger", "webchat"]
# kind, weight: a check names a few signs, a quiz several answers.
KINDS = [
    ("conversation", 14),
    ("offer", 12),
    ("offer_sign", 25),
    ("quiz_start", 5),
    ("quiz_answer", 30),
    ("quiz_done", 4),
    ("referral", 4),
    ("handoff", 2),
    ("handoff_claim", 1),
    ("handoff_reply", 1),
    ("handoff_close", 1),
    ("content_problem", 1),
]
SIGNS = [f"sign_{n}" for n in range(24)]


def event(rng: random.Random, kind: str) -> dict:
    at = START + timedelta(hours=rng.randrange(365 * 24))
    fields = time_fields(at)
    person = None if kind == "content_problem" else monthly_key_for(f"user{rng.randrange(40_000)}", fields["month"])
    # executemany needs every column in every row.
    row = {
        "kind": kind,
        "channel": rng.choice(CHANNELS),
        "monthly_key": person,
        **fields,
        **dict.fromkeys(("subject", "item", "correct", "number", "total", "attempt")),
    }
    if kind == "offer":
        row.update(subject=rng.choice(["unclear", "low", "medium", "high"]), item=rng.choice(["text", "screenshot"]))
    elif kind == "offer_sign":
        row["subject"] = rng.choice(SIGNS)
    elif kind in ("quiz_start", "quiz_done", "quiz_answer"):
        row.update(subject=rng.choice(["lures", "safe_work"]), attempt=1 + (rng.random() < 0.2))
        if kind == "quiz_answer":
            row.update(item=f"q{rng.randrange(8)}", correct=rng.random() < 0.7)
        if kind == "quiz_done":
            row.update(number=rng.randrange(9), total=8)
    elif kind == "referral":
        row["subject"] = rng.choice(["abroad_trapped", "in_vietnam", "family_worried", "report_offer"])
    elif kind == "handoff":
        row["subject"] = rng.choice(["danger", "request"])
    elif kind in ("handoff_claim", "handoff_reply"):
        row["number"] = int(rng.expovariate(1 / 600))
    elif kind == "handoff_close":
        row["item"] = rng.choice(["referred", "resolved", "no_reply"])
    elif kind == "content_problem":
        row["subject"] = rng.choice(["missing_template", "too_long"])
    return row


def generate(db: Database, count: int, seed: int) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*KINDS, strict=False)
    with db.session() as session:
        for offset in range(0, count, 50_000):
            batch = rng.choices(kinds, weights, k=min(50_000, count - offset))
            session.execute(insert(AnalyticsEvent), [event(rng, kind) for kind in batch])


def forget_kept_months(db: Database) -> None:
    with db.session() as session:
        session.execute(delete(MonthlyTally))


def best_of_three(db: Database, filters: Filters) -> float:
    """Counted from the events each time (no month kept)."""
    times = []
    for _ in range(3):
        forget_kept_months(db)
        began = time.perf_counter()
        with db.session() as session:
            compute_all(session, filters)
        times.append(time.perf_counter() - began)
    return min(times)


def dashboard_client(folder: Path, url: str):
    """The bot service's app in this process, signed in as a campaign account."""
    import re

    from starlette.testclient import TestClient

    from bot.console.accounts import add_account
    from bot.service import create_app
    from bot.settings import Settings

    shutil.copytree(ROOT / "content", folder / "content")
    settings = Settings(
        database_url=url,
        content_dir=folder / "content",
        rasa_url="http://127.0.0.1:9",
        bot_service_url="http://testserver",
        secret_key="benchmark",
        console_session_secret="benchmark-session",
        service_token="benchmark-service",
    )
    add_account(Database(url), "campaign", "campaign", "benchmark password")
    client = TestClient(create_app(settings), follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/staff/login").text)
    assert token is not None
    client.post("/staff/login", data={"csrf": token.group(1), "name": "campaign", "password": "benchmark password"})
    return client


def page_best_of_three(client, query: str) -> tuple[float, float, float]:
    """The first view's wall time, then wall and CPU time (the app and SQLite run in this process), best
    of three. The first view of past whole months counts and keeps their tallies; later views read them.
    On a shared machine the CPU time says what the page costs, the wall time what a user waited."""
    walls, cpus = [], []
    for _ in range(3):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/staff/analytics?{query}")
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
        assert response.status_code == 200, response.status_code
    return walls[0], min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'analytics.db'}")
        Recorder(db)  # creates the table and its indexes
        began = time.perf_counter()
        generate(db, args.events, args.seed)
        print(f"generated {args.events:,} events in {time.perf_counter() - began:.1f} s")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        year = best_of_three(db, Filters(date(2025, 12, 1), date(2026, 11, 30)))
        month = best_of_three(db, Filters(date(2026, 11, 1), date(2026, 11, 30)))
        one_channel = best_of_three(db, Filters(date(2026, 11, 1), date(2026, 11, 30), "zalo"))
        print(
            f"all indicators, whole year: {year:.3f} s; one month: {month:.3f} s; "
            f"one month, one channel: {one_channel:.3f} s (best of 3)"
        )
        forget_kept_months(db)
        with dashboard_client(Path(folder), f"sqlite:///{Path(folder) / 'analytics.db'}") as client:
            page_month = page_best_of_three(client, "start=2026-11-01&end=2026-11-30")
            page_year = page_best_of_three(client, "start=2025-12-01&end=2026-11-30")
        for label, (first, wall, cpu) in (("one month", page_month), ("whole year", page_year)):
            print(f"dashboard page, {label}: first view {first:.3f} s; then {wall:.3f} s ({cpu:.3f} s CPU), best of 3")


if __name__ == "__main__":
    main()
