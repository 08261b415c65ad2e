"""Load test of the Zalo connector: signed webhooks in, replies counted at a fake Zalo API.

    .venv/bin/python tests/benchmarks/load_test_channels.py [--messages 1000] [--users 50] [--redeliver 0.05]

Starts the three real processes on free ports with throw-away databases and
the fake platforms of tests/support/fakes.py (hence under tests/: scripts/
import nothing from tests). Each simulated user writes,
waits for the reply, and writes again (50 conversations at once); a share of
webhooks is posted twice, as Zalo does when an answer is slow. Reports
throughput, webhook-to-send latency, and lost and duplicate replies (both
must be 0). Writes results/load_test_channels.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

from benchmark import latency_figures, report  # noqa: E402
from support.fakes import FakePlatforms  # noqa: E402
from support.webhooks import ZALO_OA_SECRET, assistant_on_fakes, new_user, zalo_signature, zalo_text  # noqa: E402

# One message whose answer is one message (utter_thank), so replies count one to one.
MESSAGE = "cảm ơn bạn"
REPLY_TIMEOUT_SECONDS = 30


async def post(client: httpx.AsyncClient, event: dict) -> int:
    body = json.dumps(event).encode()
    headers = {
        "Content-Type": "application/json",
        "X-ZEvent-Signature": zalo_signature(body, event["timestamp"], ZALO_OA_SECRET),
    }
    return (await client.post("/zalo/webhook", content=body, headers=headers)).status_code


async def conversation(client, platforms, user: str, count: int, redeliver: float, latencies: list) -> None:
    for n in range(count):
        event = zalo_text(user, MESSAGE)
        platforms.zalo.user_wrote(user)  # the fake's 48-hour window, as the real Zalo knows it
        started = time.monotonic()
        assert await post(client, event) == 200
        if random.random() < redeliver:
            assert await post(client, event) == 200
        while len(platforms.zalo.to(user)) < n + 1:
            if time.monotonic() - started > REPLY_TIMEOUT_SECONDS:
                return  # counted as lost at the end, unless it turns up
            await asyncio.sleep(0.005)
        latencies.append((time.monotonic() - started) * 1000)


async def load(rasa_url: str, platforms, messages: int, users: int, redeliver: float) -> dict:
    latencies = []
    people = [new_user() for _ in range(users)]
    async with httpx.AsyncClient(
        base_url=f"{rasa_url}/webhooks", timeout=30, limits=httpx.Limits(max_connections=users)
    ) as client:
        started = time.monotonic()
        await asyncio.gather(
            *(conversation(client, platforms, u, messages // users, redeliver, latencies) for u in people)
        )
        elapsed = time.monotonic() - started
    await asyncio.sleep(3)  # late duplicates would arrive now
    sent = users * (messages // users)
    return {
        "webhooks": sent,
        "users": users,
        "elapsed_s": round(elapsed, 1),
        "throughput_per_s": round(sent / elapsed, 1),
        **latency_figures("webhook_to_send", latencies),
        "lost": sum(max(0, messages // users - len(platforms.zalo.to(u))) for u in people),
        "duplicates": sum(max(0, len(platforms.zalo.to(u)) - messages // users) for u in people),
        "refused_by_fake": len(platforms.zalo.refused),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--redeliver", type=float, default=0.05, help="share of webhooks posted twice")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="load-channels-"))
    try:
        with (
            FakePlatforms() as platforms,
            assistant_on_fakes(ROOT / "models" / "current.tar.gz", platforms.url, data, "load-test-logs") as assistant,
        ):
            figures = asyncio.run(
                load(f"http://127.0.0.1:{assistant.ports.rasa}", platforms, args.messages, args.users, args.redeliver)
            )
    finally:
        shutil.rmtree(data, ignore_errors=True)
    report(figures, "load_test_channels.json")
    return 0 if figures["lost"] == 0 and figures["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
