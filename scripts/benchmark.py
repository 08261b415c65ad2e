"""Foundation figures: training time, start-up time, memory, REST latency.

    .venv/bin/python scripts/benchmark.py [--train] [--messages 200]

Starts the three real processes on free ports with throw-away databases, so
it does not disturb a running `make run`. Prints a Markdown table and writes
results/benchmark.json. Figures are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.localrun import LocalAssistant, Ports  # noqa: E402

MESSAGES = [
    "chào bạn",
    "cuu e voi bi giu o cam",
    "so duong day nong la gi",
    "có người rủ em sang campuchia làm cskh lương 1500$ bao ăn ở, có nên đi ko",
    "cho mình làm quiz",
    "dấu hiệu lừa đảo tuyển dụng là gì",
    "mua bán người là gì vậy",
    "cảm ơn nhé",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def latency_figures(name: str, milliseconds) -> dict:
    """p50, p95 and max of a list of timings, under one name."""
    return {
        f"{name}_ms_p50": round(statistics.median(milliseconds), 1),
        f"{name}_ms_p95": round(percentile(milliseconds, 0.95), 1),
        f"{name}_ms_max": round(max(milliseconds), 1),
    }


def report(figures: dict, result_file: str) -> None:
    """A Markdown table on stdout, and the same figures in results/<result_file>."""
    print("| figure | value |\n|---|---|")
    for name, value in figures.items():
        print(f"| {name} | {value} |")
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / result_file).write_text(json.dumps(figures, indent=2))


def time_training(out: Path) -> float:
    """A full training: an empty Rasa cache, so no component is restored."""
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(out / "cache"), "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "--domain",
            "domain.yml",
            "--data",
            "nlu/data",
            "stories",
            "--config",
            "config.yml",
            "--out",
            str(out),
            "--fixed-model-name",
            "benchmark",
            "--force",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="also time a full training from scratch")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    args = parser.parse_args()

    figures = {}
    with tempfile.TemporaryDirectory() as scratch:
        if args.train:
            figures["training_seconds"] = round(time_training(Path(scratch)), 1)
        ports = Ports(rasa=free_port(), actions=free_port(), bot=free_port())
        with LocalAssistant(
            Path(args.model), ports=ports, data_dir=Path(scratch) / "data", log_dir=Path(scratch) / "logs"
        ) as assistant:
            for process in assistant.processes:
                figures[f"startup_seconds[{process.name}]"] = round(process.ready_after, 1)
            url = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
            latencies = []
            with httpx.Client(timeout=60) as client:
                for i in range(args.messages):
                    started = time.perf_counter()
                    reply = client.post(url, json={"sender": f"bench-{i % 20}", "message": MESSAGES[i % len(MESSAGES)]})
                    reply.raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000)
            for process in assistant.processes:
                figures[f"rss_mb[{process.name}]"] = round(rss_mb(process.popen.pid), 0)
    figures["rest_messages"] = len(latencies)
    figures.update(latency_figures("rest_latency", latencies))
    report(figures, "benchmark.json")


if __name__ == "__main__":
    main()
