"""Does a turn cost more as the conversation grows? Turn 1-20 against turn 281-300.

    .venv/bin/python scripts/benchmark_turns.py [--turns 300] [--compare-rasa-callback]

Starts the three real processes on free ports with throw-away databases and
holds one conversation of --turns messages through the web chat channel, one
message after the other (each waits for its reply). Prints the median latency
of the first and last 20 turns and their ratio. With --compare-rasa-callback
it does the same, in the same run, with Rasa's stock NLG callback (which sends
the whole tracker with every reply) instead of tracker.nlg.SlotsOnlyNLG.
Figures are measurements, not assertions; results/benchmark_turns.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.localrun import LocalAssistant, Ports  # noqa: E402
from bot.settings import secret  # noqa: E402
from scripts.benchmark import free_port, report, rss_mb  # noqa: E402

# Messages that keep the conversation in small talk and questions: no hand-off, quiz or deletion
# prompt, whose state would change what each turn does.
MESSAGES = [
    "chào bạn",
    "dấu hiệu lừa đảo tuyển dụng là gì",
    "cảm ơn nhé",
    "mua bán người là gì vậy",
    "ok",
    "so duong day nong la gi",
]
WINDOW = 20


def endpoints_with_stock_nlg(scratch: Path) -> Path:
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["nlg"].pop("type", None)
    path = scratch / "endpoints-stock-nlg.yml"
    # Rasa expands ${VAR} in the file it reads, so the copy keeps them as written.
    path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return path


def one_conversation(model: Path, scratch: Path, endpoints: Path, turns: int) -> dict:
    ports = Ports(rasa=free_port(), actions=free_port(), bot=free_port())
    with LocalAssistant(
        model, ports=ports, data_dir=scratch / "data", log_dir=scratch / "logs", endpoints=endpoints
    ) as assistant:
        url = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
        headers = {"X-Webchat-Secret": secret("WEBCHAT_CHANNEL_SECRET")}
        latencies = []
        with httpx.Client(timeout=120) as client:
            for turn in range(turns):
                started = time.perf_counter()
                reply = client.post(
                    url,
                    headers=headers,
                    json={"sender": "web-benchmark-turns", "message": MESSAGES[turn % len(MESSAGES)]},
                )
                reply.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
        rasa_rss = rss_mb(assistant.process("rasa").popen.pid)
    first, last = statistics.median(latencies[:WINDOW]), statistics.median(latencies[-WINDOW:])
    return {
        f"turn_1_{WINDOW}_ms_p50": round(first, 1),
        f"turn_{turns - WINDOW + 1}_{turns}_ms_p50": round(last, 1),
        "ratio_last_to_first": round(last / first, 2),
        "rasa_rss_mb": round(rasa_rss),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--compare-rasa-callback", action="store_true")
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        runs = {"slots_only_nlg": ROOT / "endpoints.yml"}
        if args.compare_rasa_callback:
            runs["rasa_callback_nlg"] = endpoints_with_stock_nlg(scratch)
        for name, endpoints in runs.items():
            result = one_conversation(Path(args.model), scratch / name, endpoints, args.turns)
            figures.update({f"{name}: {key}": value for key, value in result.items()})
    report(figures, "benchmark_turns.json")


if __name__ == "__main__":
    main()
