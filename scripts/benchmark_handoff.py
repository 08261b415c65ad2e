"""Hand-off figures: how fast a case opens, and how fast a staff reply reaches the user.

    .venv/bin/python scripts/benchmark_handoff.py [--cases 20] [--replies 5]

Starts the three real processes on free ports with throw-away databases. Each
simulated user reports danger, consents and writes once; a staff member
claims and replies through the console; the time runs until the reply is in
the user's web chat outbox (what the page fetches). Prints a Markdown table
and writes results/benchmark_handoff.json.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import free_port, latency_figures, report  # noqa: E402

from bot.localrun import LocalAssistant, Ports  # noqa: E402

PASSWORD = "benchmark password"


def staff_session(bot: str) -> httpx.Client:
    client = httpx.Client(base_url=bot, timeout=60)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/staff/login").text).group(1)
    client.post("/staff/login", data={"csrf": token, "name": "bench", "password": PASSWORD})
    client.csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/staff/").text).group(1)
    return client


def wait_for_reply(bot: httpx.Client, sender: str, timeout: float = 30) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if bot.get("/api/chat/updates", params={"sender": sender}).json():
            return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError("staff reply never arrived")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--replies", type=int, default=5, help="staff replies per case")
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    args = parser.parse_args()

    opening, delivery = [], []
    with tempfile.TemporaryDirectory() as scratch:
        ports = Ports(rasa=free_port(), actions=free_port(), bot=free_port())
        with LocalAssistant(
            Path(args.model), ports=ports, data_dir=Path(scratch) / "data", log_dir=Path(scratch) / "logs"
        ) as assistant:
            env = assistant.environment()
            subprocess.run(
                [sys.executable, "-m", "bot", "staff", "add", "bench", "--role", "hotline", "--password-stdin"],
                input=PASSWORD + "\n",
                text=True,
                check=True,
                capture_output=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": env["DATABASE_URL"]},
            )
            rest = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
            staff = staff_session(f"http://127.0.0.1:{ports.bot}")
            with httpx.Client(timeout=60) as user:
                for number in range(1, args.cases + 1):
                    sender = f"bench-handoff-{number}"
                    user.post(rest, json={"sender": sender, "message": "cứu em với, em bị giữ ở campuchia"})
                    started = time.perf_counter()
                    user.post(rest, json={"sender": sender, "message": "/affirm"})
                    opening.append((time.perf_counter() - started) * 1000)
                    staff.post(f"/staff/cases/{number}/claim", data={"csrf": staff.csrf})
                    for reply in range(args.replies):
                        started = time.perf_counter()
                        staff.post(
                            f"/staff/cases/{number}/reply", data={"csrf": staff.csrf, "text": f"Trả lời số {reply}"}
                        )
                        delivery.append((wait_for_reply(staff, sender) - started) * 1000)

    figures = {"cases": args.cases, "staff_replies": len(delivery)}
    figures.update(latency_figures("consent_to_case_number", opening))
    figures.update(latency_figures("staff_reply_to_user", delivery))
    report(figures, "benchmark_handoff.json")


if __name__ == "__main__":
    main()
