"""Open-loop arrival-rate sweep: the highest rate whose p95 stays within 400 ms, against stock Rasa in the same run.

    .venv/bin/python scripts/benchmark_sweep.py [--rates 2,5,10,15,20,30,40,60,80] [--stock-folder DIR] [--seconds 15] [--no-stock]

Messages arrive at a set rate, as users send them, whether or not earlier
replies came back (a closed loop, where each user waits for the reply before
writing again, measures only queue length over throughput). Each rate runs for
--seconds; latency is the time to the reply. The sweep stops after the first
rate whose p95 is over the limit.

It sweeps this project's three real processes through the web chat channel
(REST, throw-away databases), and, in the same run, a stock `rasa init` bot
trained on the fly in a temporary folder, so that the ratio between the two
holds on a busy machine. Loopback only; every loop is bounded.
tests/benchmarks/sweep_zalo.py sweeps the Zalo webhook the same way.
Figures are measurements, not assertions; results/benchmark_sweep.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.localrun import LocalAssistant, Ports  # noqa: E402
from contract.names import WEBCHAT_SECRET_HEADER  # noqa: E402
from contract.secrets import secret  # noqa: E402
from scripts.benchmark import free_port, percentile, report, rss_mb  # noqa: E402

P95_LIMIT_MS = 400
REPLY_TIMEOUT_SECONDS = 30
USERS = 200  # each message comes from one of these, so conversations grow as they do in use
# Small talk and questions, as in benchmark_turns.py: every turn does the same kind of work.
OUR_MESSAGES = ["chào bạn", "dấu hiệu lừa đảo tuyển dụng là gì", "cảm ơn nhé", "mua bán người là gì vậy", "ok"]
STOCK_MESSAGES = ["hello", "I am sad", "yes", "great", "are you a bot?"]
STOCK_START_SECONDS = 300

# One message: (user number, text) -> awaits until its reply has arrived.
Send = Callable[[int, str], Awaitable[None]]


@dataclass
class Step:
    rate: float
    sent: int
    answered: int
    p50_ms: float
    p95_ms: float
    load_average: float
    # CPU each process spent during the step, per message sent: where the throughput goes.
    cpu_ms_per_message: dict[str, float]

    @property
    def within_limit(self) -> bool:
        return self.answered == self.sent and self.p95_ms <= P95_LIMIT_MS


MACHINE = 0  # the pid under which the whole machine's busy CPU time is counted


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a live process (or of every core, for MACHINE), from /proc (Linux)."""
    if pid == MACHINE:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        busy = sum(int(f) for f in fields[:8]) - int(fields[3]) - int(fields[4])  # all but idle and iowait
        return busy / os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_rate(send: Send, messages: list[str], rate: float, seconds: float, pids: dict[str, int]) -> Step:
    """Send `rate` messages a second for `seconds`, each at its own time, and wait for every reply."""
    latencies: list[float] = []
    count = int(rate * seconds)
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.monotonic()

    async def timed(n: int) -> None:
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        sent_at = time.monotonic()
        try:
            await asyncio.wait_for(send(n % USERS, messages[n % len(messages)]), REPLY_TIMEOUT_SECONDS)
        except (asyncio.TimeoutError, httpx.HTTPError):
            return  # unanswered: counted by `answered`
        latencies.append((time.monotonic() - sent_at) * 1000)

    await asyncio.gather(*(timed(n) for n in range(count)))
    cpu_ms = {
        name: round((cpu_seconds(pid) - cpu_before[name]) * 1000 / max(1, count), 1) for name, pid in pids.items()
    }
    ordered = latencies or [float("inf")]
    return Step(
        rate,
        count,
        len(latencies),
        round(percentile(ordered, 0.5), 1),
        round(percentile(ordered, 0.95), 1),
        os.getloadavg()[0],
        cpu_ms,
    )


async def sweep(
    send: Send, messages: list[str], rates: list[float], seconds: float, pids: dict[str, int]
) -> list[Step]:
    """`pids`: the processes whose CPU time is counted at each step, by name."""
    await one_rate(send, messages, rates[0], 3, pids)  # warm-up: first turns load models and open connections
    steps = []
    for rate in rates:
        step = await one_rate(send, messages, rate, seconds, pids)
        cpu = ", ".join(f"{name} {ms}" for name, ms in step.cpu_ms_per_message.items())
        print(
            f"  {rate:5.0f}/s: p50 {step.p50_ms} ms, p95 {step.p95_ms} ms, "
            f"{step.answered}/{step.sent} answered, load {step.load_average:.1f}; CPU ms a message: {cpu}",
            flush=True,
        )
        steps.append(step)
        if not step.within_limit:
            break
        await asyncio.sleep(2)  # let the queue drain between rates
    return steps


def highest_rate(steps: list[Step]) -> float:
    return max((step.rate for step in steps if step.within_limit), default=0.0)


def figures_of(name: str, steps: list[Step], rss: float) -> dict:
    figures: dict = {f"{name}: highest rate with p95 <= {P95_LIMIT_MS} ms (msg/s)": highest_rate(steps)}
    for step in steps:
        figures[f"{name}: {step.rate:g}/s p50 / p95 ms (answered, load)"] = (
            f"{step.p50_ms} / {step.p95_ms} ({step.answered}/{step.sent}, {step.load_average:.1f})"
        )
        figures[f"{name}: {step.rate:g}/s CPU ms a message"] = step.cpu_ms_per_message
    figures[f"{name}: Rasa RSS MB after the sweep"] = round(rss)
    return figures


def rest_sender(client: httpx.AsyncClient, url: str, prefix: str, headers: dict[str, str]) -> Send:
    async def send(user: int, text: str) -> None:
        reply = await client.post(url, headers=headers, json={"sender": f"{prefix}{user:04d}", "message": text})
        reply.raise_for_status()

    return send


def client_for_load() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=REPLY_TIMEOUT_SECONDS, limits=httpx.Limits(max_connections=500))


def pids_of(assistant: LocalAssistant) -> dict[str, int]:
    """The assistant's processes, and the whole machine (the load generator, databases and anything else)."""
    return {**{process.name: process.launched.pid for process in assistant.processes}, "machine": MACHINE}


def sweep_ours(model: Path, scratch: Path, rates: list[float], seconds: float) -> dict:
    ports = Ports(rasa=free_port(), actions=free_port(), bot=free_port())
    with LocalAssistant(model, ports=ports, data_dir=scratch / "data", log_dir=scratch / "logs") as assistant:
        url = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
        headers = {WEBCHAT_SECRET_HEADER: secret("WEBCHAT_CHANNEL_SECRET")}
        pids = pids_of(assistant)

        async def run() -> list[Step]:
            async with client_for_load() as client:
                sender = rest_sender(client, url, "web-sweep-user-", headers)
                return await sweep(sender, OUR_MESSAGES, rates, seconds, pids)

        print("this project, web chat channel (REST):", flush=True)
        steps = asyncio.run(run())
        return figures_of("this project (REST)", steps, rss_mb(assistant.process("rasa").launched.pid))


class StockRasa:
    """`rasa init` in a temporary folder (which trains its model), then `rasa run` on a free port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.popen: subprocess.Popen | None = None
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        self.env.pop("PYTHONPATH", None)  # nothing of this project

    def __enter__(self) -> StockRasa:
        rasa = str(Path(sys.executable).parent / "rasa")
        log = (self.folder.parent / "stock-rasa.log").open("w")
        if not (self.folder / "models").is_dir():  # a folder kept from an earlier run (--stock-folder) is reused
            self.folder.mkdir(parents=True)
            subprocess.run(
                [rasa, "init", "--no-prompt", "--init-dir", str(self.folder)],
                env=self.env,
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        command = [rasa, "run", "--port", str(self.port), "--interface", "127.0.0.1", "--model", "models"]
        self.popen = subprocess.Popen(command, cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STOCK_START_SECONDS
        while not self._answers():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"stock Rasa did not start; see {log.name}")
            time.sleep(1)
        return self

    def _answers(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def __exit__(self, *exc_info) -> None:
        if self.popen:
            self.popen.terminate()
            self.popen.wait(timeout=60)


def sweep_stock(folder: Path, rates: list[float], seconds: float) -> dict:
    print("stock `rasa init` bot (trained first unless kept from an earlier run)...", flush=True)
    with StockRasa(folder) as stock:
        url = f"http://127.0.0.1:{stock.port}/webhooks/rest/webhook"

        async def run() -> list[Step]:
            async with client_for_load() as client:
                assert stock.popen is not None
                pids = {"rasa": stock.popen.pid, "machine": MACHINE}
                return await sweep(rest_sender(client, url, "stock-", {}), STOCK_MESSAGES, rates, seconds, pids)

        print("stock Rasa, REST channel:", flush=True)
        steps = asyncio.run(run())
        assert stock.popen is not None
        return figures_of("stock rasa init (REST)", steps, rss_mb(stock.popen.pid))


def ratio(figures: dict) -> dict:
    ours, stock = (
        next(v for k, v in figures.items() if k.startswith(name) and "highest rate" in k)
        for name in ("this project", "stock")
    )
    return {"ratio this project / stock (highest rate)": round(ours / stock, 2) if stock else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="2,5,10,15,20,30,40,60,80", help="messages per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=15, help="how long each rate runs")
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Rasa comparison")
    parser.add_argument("--stock-folder", help="keep the stock bot here and reuse it next time (default: trained anew)")
    args = parser.parse_args()
    rates = [float(rate) for rate in args.rates.split(",")]
    figures: dict = {"load average at start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        figures.update(sweep_ours(Path(args.model), scratch, rates, args.seconds))
        if not args.no_stock:
            figures.update(
                sweep_stock(Path(args.stock_folder) if args.stock_folder else scratch / "stock", rates, args.seconds)
            )
            figures.update(ratio(figures))
    report(figures, "benchmark_sweep.json")


if __name__ == "__main__":
    main()
