"""What the durable inbox costs a Zalo message, without Rasa or a network: CPU, commits, statements.

    .venv/bin/python scripts/benchmark_inbox.py [--messages 900] [--rate 30] [--code DIR]

One Zalo channel on a throw-away SQLite database with its inbox worker running,
as in Rasa. Each message is accepted as a webhook's event (written to the
inbox), taken by the worker and given a turn that hands one reply to the
output, whose sends Zalo answers at once (in this process); then the echo Zalo
posts of every message the OA sends is accepted too (it queues nothing). What
is measured is the connector's own work: its database calls, thread hops and
the worker, not the turn. The webhook's signature check and Rasa are left out.

`--code DIR` measures the channels/ of another checkout (a worktree of an
earlier commit), for a before/after on the same machine in the same minute.
Figures are measurements, not assertions; results/benchmark_inbox.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = 50
REPLY = {"text": "Cảm ơn bạn đã tin tưởng. Gọi 111 nếu cần giúp ngay."}
WARM_UP_MESSAGES = 20


class InstantZalo:
    """The OA API as an HTTP client sees it: every message accepted at once."""

    async def post(self, url: str, **_kwargs):
        import httpx

        return httpx.Response(200, json={"error": 0, "data": {"message_id": "m"}}, request=httpx.Request("POST", url))

    async def aclose(self) -> None:
        pass


class Counted:
    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.commits = self.statements = 0
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "before_cursor_execute", self._statement)

    def _commit(self, *_args) -> None:
        self.commits += 1

    def _statement(self, *_args) -> None:
        self.statements += 1


async def measure(scratch: Path, messages: int, rate: float) -> dict:
    from channels.core import Inbound
    from channels.zalo import ZaloInput, ZaloSettings

    channel = ZaloInput(
        ZaloSettings("1", "oa", "app", "token", "refresh", token_file=scratch / "tokens.json"),
        store_url=f"sqlite:///{scratch / 'app.db'}",
    )
    channel._client = InstantZalo()  # type: ignore[assignment]
    counted = Counted(channel.store.engine)
    turns = 0

    async def turn(message) -> None:
        nonlocal turns
        await message.output_channel.send_response(message.sender_id, REPLY)
        await channel.accept([])  # Zalo's echo of that reply: a webhook without an event to queue
        turns += 1

    async def send(first: int, count: int) -> None:
        for number in range(first, first + count):
            await channel.accept([Inbound(f"user-{number % USERS}", f"msg-{number}", "cảm ơn bạn")])
            await asyncio.sleep(1 / rate)
        while turns < first + count:
            await asyncio.sleep(0.01)
        assert channel.worker is not None
        await channel.worker.idle()

    worker = channel.start_worker(turn)
    await send(0, WARM_UP_MESSAGES)
    cpu, wall, commits, statements = time.process_time(), time.monotonic(), counted.commits, counted.statements
    await send(WARM_UP_MESSAGES, messages)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    await worker.stop(grace=1)
    return {
        "messages": messages,
        "rate (msg/s)": rate,
        "CPU ms a message (this process, all threads)": round(1000 * cpu / messages, 2),
        "commits a message": round((counted.commits - commits) / messages, 2),
        "statements a message": round((counted.statements - statements) / messages, 2),
        "wall seconds": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=900)
    parser.add_argument("--rate", type=float, default=30)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose channels/ is measured")
    args = parser.parse_args()
    sys.path[:0] = [str(args.code.resolve()), str(ROOT)]
    os.environ.setdefault("APP_SECRET_KEY", "benchmark-secret")
    from scripts.benchmark import report  # after the path: ROOT's scripts, whichever code is measured

    scratch = Path(tempfile.mkdtemp(prefix="benchmark-inbox-"))
    try:
        figures = {"code": str(args.code.resolve()), "load average at start": os.getloadavg()[0]}
        figures.update(asyncio.run(measure(scratch, args.messages, args.rate)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(figures, "benchmark_inbox.json")


if __name__ == "__main__":
    main()
