"""Open-loop arrival-rate sweep through signed Zalo webhooks, replies counted at the fake Zalo API.

    .venv/bin/python tests/benchmarks/sweep_zalo.py [--rates 2,5,10,15,20,30,40,60,80] [--stock-folder DIR] [--seconds 15] [--no-stock]

The sweep of scripts/benchmark_sweep.py (messages arrive at a set rate; the
highest rate whose p95 stays within 400 ms), through the Zalo connector: each
message is a signed webhook, and its latency runs until the reply reaches the
fake Zalo of tests/support/fakes.py (hence under tests/: scripts/ import
nothing from tests). The webhook is answered at once; the reply goes through
the durable inbox. In the same run, unless --no-stock, the stock `rasa init`
bot is swept through REST, for the ratio. Results in results/sweep_zalo.json.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.fakes import FakePlatforms  # noqa: E402
from support.webhooks import ZALO_OA_SECRET, assistant_on_fakes, new_user, zalo_signature, zalo_text  # noqa: E402

from scripts.benchmark import report, rss_mb  # noqa: E402
from scripts.benchmark_sweep import (  # noqa: E402
    USERS,
    client_for_load,
    figures_of,
    pids_of,
    ratio,
    sweep,
    sweep_stock,
)

# Answered by one message (utter_thank), so the n-th reply a user gets answers their n-th message.
MESSAGE = "cảm ơn bạn"
POLL_SECONDS = 0.01


def zalo_sender(client: httpx.AsyncClient, platforms: FakePlatforms):
    users = [new_user() for _ in range(USERS)]
    written: collections.Counter[str] = collections.Counter()

    async def send(user_number: int, text: str) -> None:
        user = users[user_number]
        written[user] += 1
        nth = written[user]
        event = zalo_text(user, text)
        platforms.zalo.user_wrote(user)  # the fake's 48-hour window, as the real Zalo knows it
        body = json.dumps(event).encode()
        headers = {
            "Content-Type": "application/json",
            "X-ZEvent-Signature": zalo_signature(body, event["timestamp"], ZALO_OA_SECRET),
        }
        (await client.post("/zalo/webhook", content=body, headers=headers)).raise_for_status()
        while len(platforms.zalo.to(user)) < nth:  # bounded: the sweep gives up on a reply after its timeout
            await asyncio.sleep(POLL_SECONDS)

    return send


def sweep_zalo(scratch: Path, rates: list[float], seconds: float) -> dict:
    with (
        FakePlatforms() as platforms,
        assistant_on_fakes(ROOT / "models" / "current.tar.gz", platforms.url, scratch, "sweep-zalo-logs") as assistant,
    ):

        async def run():
            async with client_for_load() as client:
                client.base_url = httpx.URL(f"{assistant.rasa_url}/webhooks")
                return await sweep(zalo_sender(client, platforms), [MESSAGE], rates, seconds, pids_of(assistant))

        print("this project, signed Zalo webhooks to the fake Zalo:", flush=True)
        steps = asyncio.run(run())
        figures = figures_of("this project (Zalo webhook)", steps, rss_mb(assistant.process("rasa").launched.pid))
        figures["sends the fake refused"] = len(platforms.zalo.refused)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="2,5,10,15,20,30,40,60,80")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--no-stock", action="store_true")
    parser.add_argument("--stock-folder", help="keep the stock bot here and reuse it (scripts/benchmark_sweep.py)")
    args = parser.parse_args()
    rates = [float(rate) for rate in args.rates.split(",")]
    figures: dict = {"load average at start": os.getloadavg()[0]}
    scratch = Path(tempfile.mkdtemp(prefix="sweep-zalo-"))
    try:
        figures.update(sweep_zalo(scratch / "ours", rates, args.seconds))
        if not args.no_stock:
            stock = Path(args.stock_folder) if args.stock_folder else scratch / "stock"
            figures.update(sweep_stock(stock, rates, args.seconds))
            figures.update(ratio(figures))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(figures, "sweep_zalo.json")


if __name__ == "__main__":
    main()
