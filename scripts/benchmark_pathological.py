"""How long Rasa's NLU takes on pathological messages (it runs inside Rasa's event loop,
so this is how long every other user waits behind one such message).

    .venv/bin/python scripts/benchmark_pathological.py [--model models/current.tar.gz]

Loads the trained model in this process (no server), parses each message a few
times after a warm-up, and prints the median seconds per parse.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ATTACKS = {
    "4,000 digits": "1" * 4000,
    "8,000 digits": "1" * 8000,
    "1.1.1… (6,000 chars)": "1." * 3000,
    "'1 ' x 2,400": "1 " * 2400,
    "'cam ' x 1,200": "cam " * 1200,
    "2,400 emoji": "💰" * 2400,
    "chào bạn": "chào bạn",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.path.insert(0, str(ROOT))
    logging.basicConfig(level=logging.ERROR)
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)  # Rasa's debug lines print the message

    agent = Agent.load(args.model)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(agent.parse_message("chào bạn"))
    print(f"{'message':<24} median seconds per parse ({args.runs} runs)")
    for name, text in ATTACKS.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            loop.run_until_complete(agent.parse_message(text))
            times.append(time.perf_counter() - started)
        print(f"{name:<24} {statistics.median(times):8.3f}")


if __name__ == "__main__":
    main()
