"""Does a turn cost more as the conversation grows? Turn 1-20 against turn 281-300.

    .venv/bin/python scripts/benchmark_turns.py [--turns 300] [--compare-rasa-callback] [--profile]

Starts the three real processes on free ports with throw-away databases and
holds one conversation of --turns messages through the web chat channel, one
message after the other (each waits for its reply). Prints the median latency
of the first and last 20 turns and their ratio. With --compare-rasa-callback
it does the same, in the same run, with Rasa's stock NLG callback (which sends
the whole tracker with every reply) instead of tracker.nlg.SlotsOnlyNLG.
With --profile, py-spy (requirements-dev.txt) samples the Rasa process over
the last 100 turns and writes collapsed stacks to results/profile_turns_<run>.txt
(`--format raw`: one stack a line with its sample count, for flamegraph tools),
and prints the functions holding the most samples.
With --compare-uncached, the same with the tracker store's cache switched off
(`cached_events: 0`), i.e. every turn read back from SQL as Rasa's store does.
The load average is printed with the figures: on a shared machine compare
ratios within one run. Figures are measurements, not assertions;
results/benchmark_turns.json.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.localrun import LocalAssistant, Ports  # noqa: E402
from contract.names import WEBCHAT_SECRET_HEADER  # noqa: E402
from contract.secrets import secret  # noqa: E402
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
PROFILED_TURNS = 100


def endpoints_with_stock_nlg(scratch: Path) -> Path:
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["nlg"].pop("type", None)
    return write_endpoints(endpoints, scratch / "endpoints-stock-nlg.yml")


def endpoints_without_tracker_cache(scratch: Path) -> Path:
    """The tracker store reading every turn back from SQL, as Rasa's does (tracker/cached_store.py)."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["tracker_store"]["cached_events"] = 0
    return write_endpoints(endpoints, scratch / "endpoints-uncached.yml")


def write_endpoints(endpoints: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Rasa expands ${VAR} in the file it reads, so the copy keeps them as written.
    path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return path


def start_profiler(pid: int, out: Path) -> subprocess.Popen:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    command = [py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(out), "--rate", "50"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def heaviest_functions(collapsed: Path, top: int = 15) -> list[tuple[str, float]]:
    """Share of samples in which each function is on the stack (inclusive), heaviest first."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        for frame in set(stack.split(";")):
            inclusive[frame] += samples
    return [(frame, round(100 * n / total, 1)) for frame, n in inclusive.most_common(top)]


def one_conversation(model: Path, scratch: Path, endpoints: Path, turns: int, profile: Path | None) -> dict:
    ports = Ports(rasa=free_port(), actions=free_port(), bot=free_port())
    with LocalAssistant(
        model, ports=ports, data_dir=scratch / "data", log_dir=scratch / "logs", endpoints=endpoints
    ) as assistant:
        url = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
        headers = {WEBCHAT_SECRET_HEADER: secret("WEBCHAT_CHANNEL_SECRET")}
        latencies = []
        profiler = None
        with httpx.Client(timeout=120) as client:
            for turn in range(turns):
                if profile and turn == turns - PROFILED_TURNS:
                    profiler = start_profiler(assistant.process("rasa").popen.pid, profile)
                started = time.perf_counter()
                reply = client.post(
                    url,
                    headers=headers,
                    json={"sender": "web-benchmark-turns", "message": MESSAGES[turn % len(MESSAGES)]},
                )
                reply.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
        if profiler:
            profiler.send_signal(2)  # py-spy writes its file on SIGINT
            profiler.wait(timeout=60)
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
    parser.add_argument("--compare-uncached", action="store_true", help="also with the tracker store's cache off")
    parser.add_argument("--profile", action="store_true", help="py-spy the Rasa process over the last 100 turns")
    args = parser.parse_args()
    figures: dict = {"load average at start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        runs = {"as_configured": ROOT / "endpoints.yml"}
        if args.compare_rasa_callback:
            runs["rasa_callback_nlg"] = endpoints_with_stock_nlg(scratch)
        if args.compare_uncached:
            runs["uncached_tracker_store"] = endpoints_without_tracker_cache(scratch)
        for name, endpoints in runs.items():
            profile = ROOT / "results" / f"profile_turns_{name}.txt" if args.profile else None
            if profile:
                profile.parent.mkdir(exist_ok=True)
            result = one_conversation(Path(args.model), scratch / name, endpoints, args.turns, profile)
            figures.update({f"{name}: {key}": value for key, value in result.items()})
            if profile and profile.exists():
                print(f"\n{name}: functions on the stack in most samples (inclusive %), {profile}")
                for frame, percent in heaviest_functions(profile):
                    print(f"  {percent:5.1f}  {frame}")
    figures["load average at end"] = os.getloadavg()[0]
    report(figures, "benchmark_turns.json")


if __name__ == "__main__":
    main()
