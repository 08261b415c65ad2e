"""The open-loop sweep (scripts/benchmark_sweep.py) against one Rasa process and then two, on PostgreSQL and Redis.

    .venv/bin/python tests/benchmarks/sweep_instances.py [--rates 2,4,6,8,10,12,15,20] [--seconds 15] [--stock-folder DIR]

Production runs several Rasa instances behind one address, sharing
conversations in PostgreSQL and taking turns through Redis's lock store; this
starts them as tests/channels/test_several_instances.py does (hence under
tests/), sends each message through the web chat channel to one instance or
the next in turn, and reports how the highest rate with p95 <= 400 ms scales
from one instance to two, in the same run (and, with --stock-folder, the stock
`rasa init` bot). Results in results/sweep_instances.json.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.fakes import FakePlatforms  # noqa: E402
from support.servers import Postgres, Redis  # noqa: E402
from support.webhooks import assistant_on_fakes  # noqa: E402

from contract.names import WEBCHAT_SECRET_HEADER  # noqa: E402
from contract.secrets import secret  # noqa: E402
from scripts.benchmark import report, rss_mb  # noqa: E402
from scripts.benchmark_sweep import (  # noqa: E402
    OUR_MESSAGES,
    Send,
    client_for_load,
    figures_of,
    pids_of,
    rest_sender,
    sweep,
    sweep_stock,
)


def round_robin(senders: list[Send]) -> Send:
    turn = itertools.cycle(senders)

    async def send(user: int, text: str) -> None:
        await next(turn)(user, text)

    return send


def sweep_instances(count: int, scratch: Path, platforms, rates: list[float], seconds: float) -> dict:
    scratch.mkdir(parents=True)
    postgres, redis = Postgres().start(), Redis(scratch).start()
    try:
        with assistant_on_fakes(
            ROOT / "models" / "current.tar.gz",
            platforms.url,
            scratch,
            f"sweep-instances-{count}-logs",
            more_rasa_instances=count - 1,
            DATABASE_URL=postgres.url("app"),
            TRACKER_STORE_URL=postgres.url("tracker"),
            LOCK_STORE_URL=redis.url,
        ) as assistant:
            ports = [assistant.ports.rasa, *assistant.ports.more_rasa]
            headers = {WEBCHAT_SECRET_HEADER: secret("WEBCHAT_CHANNEL_SECRET")}

            async def run():
                async with client_for_load() as client:
                    senders = [
                        rest_sender(
                            client, f"http://127.0.0.1:{port}/webhooks/rest/webhook", f"web-instances-{count}-", headers
                        )
                        for port in ports
                    ]
                    return await sweep(round_robin(senders), OUR_MESSAGES, rates, seconds, pids_of(assistant))

            print(f"{count} Rasa instance(s) on PostgreSQL and Redis, web chat channel:", flush=True)
            steps = asyncio.run(run())
            rss = max(
                rss_mb(process.launched.pid) for process in assistant.processes if process.name.startswith("rasa")
            )
            return figures_of(f"{count} instance(s)", steps, rss)
    finally:
        redis.stop()
        postgres.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="2,4,6,8,10,12,15,20")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--stock-folder", help="also sweep the stock rasa init bot kept here (scripts/benchmark_sweep.py)"
    )
    args = parser.parse_args()
    rates = [float(rate) for rate in args.rates.split(",")]
    figures: dict = {"load average at start": os.getloadavg()[0]}
    scratch = Path(tempfile.mkdtemp(prefix="sweep-instances-"))
    try:
        with FakePlatforms() as platforms:
            for count in (1, 2):
                figures.update(sweep_instances(count, scratch / str(count), platforms, rates, args.seconds))
        if args.stock_folder:
            figures.update(sweep_stock(Path(args.stock_folder), rates, args.seconds))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(figures, "sweep_instances.json")


if __name__ == "__main__":
    main()
