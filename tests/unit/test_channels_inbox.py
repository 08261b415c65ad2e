"""The inbox worker on a real SQLite store, with turns that only record what they were given (no Rasa)."""

import asyncio

import pytest

from channels import inbox
from channels.inbox import Claimed, InboxWorker
from channels.store import ChannelStore

TIMEOUT = 5.0


@pytest.fixture(autouse=True)
def slow_poll(monkeypatch):
    """A poll far slower than the tests: whatever runs here ran because the worker was woken."""
    monkeypatch.setattr(inbox, "POLL_SECONDS", 60.0)


class CountedStore(ChannelStore):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.claims = 0

    def claim(self, *args, **kwargs):
        self.claims += 1
        return super().claim(*args, **kwargs)


def store_in(tmp_path) -> CountedStore:
    return CountedStore(f"sqlite:///{tmp_path / 'app.db'}")


async def until(condition) -> None:
    async def waiting():
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(waiting(), TIMEOUT)


def test_a_user_s_next_event_starts_when_their_turn_ends_not_at_the_next_poll(tmp_path):
    store = store_in(tmp_path)
    ran: list[str] = []

    async def scenario():
        may_end = asyncio.Event()

        async def run_turn(claimed: Claimed) -> None:
            ran.append(claimed.event)
            if claimed.event == "first":
                await may_end.wait()

        worker = InboxWorker(store, "zalo", run_turn)
        worker.start()
        store.enqueue("zalo", "1", "user-a", "first")
        worker.wake()
        await until(lambda: ran == ["first"])
        store.enqueue("zalo", "2", "user-a", "second")  # the user wrote again during their turn
        worker.wake()
        await asyncio.sleep(0.1)
        assert ran == ["first"]  # one at a time
        may_end.set()
        await until(lambda: ran == ["first", "second"])
        await worker.stop(grace=1)

    asyncio.run(scenario())


def test_no_look_at_the_inbox_after_a_turn_when_nothing_can_be_waiting(tmp_path):
    store = store_in(tmp_path)
    ran: list[str] = []

    async def scenario():
        async def run_turn(claimed: Claimed) -> None:
            ran.append(claimed.event)

        worker = InboxWorker(store, "zalo", run_turn)
        worker.start()
        await until(lambda: store.claims == 1)  # the first look, at start
        store.enqueue("zalo", "1", "user-a", "only")
        worker.wake()
        await until(lambda: ran == ["only"])
        await worker.idle()
        await asyncio.sleep(0.2)
        await worker.stop(grace=1)

    asyncio.run(scenario())
    assert store.claims == 2  # at start, and when the event was queued; none after its turn


def test_replies_accepted_before_a_turn_failed_are_marked_sent_when_the_event_is_given_back(tmp_path):
    """Otherwise the turn run again would send them a second time on Telegram and Messenger."""
    store = store_in(tmp_path)
    taken: list[int] = []

    async def scenario():
        async def run_turn(claimed: Claimed) -> None:
            taken.append(claimed.id)
            await asyncio.to_thread(store.reply_attempted, claimed.id, 0, "user-a")
            claimed.accepted.append(0)  # the platform took it; then the action server failed
            raise RuntimeError("action server down")

        worker = InboxWorker(store, "zalo", run_turn)
        worker.start()
        store.enqueue("zalo", "1", "user-a", "{}")
        worker.wake()
        await until(lambda: bool(taken))
        await worker.idle()
        await worker.stop(grace=1)

    asyncio.run(scenario())
    assert store.reply_records(taken[0])[0].sent


def test_only_a_queued_event_wakes_the_worker_not_an_echo_or_a_redelivery(tmp_path, monkeypatch):
    from channels.core import Inbound, StaffEcho
    from channels.zalo import ZaloInput, ZaloSettings

    monkeypatch.setenv("APP_SECRET_KEY", "unit-secret")
    channel = ZaloInput(
        ZaloSettings("1", "oa", "app", "token", "refresh", token_file=tmp_path / "t.json"),
        store_url=f"sqlite:///{tmp_path / 'app.db'}",
    )
    wakes: list[int] = []

    class Worker:
        def wake(self) -> None:
            wakes.append(1)

    channel.worker = Worker()  # type: ignore[assignment]
    asyncio.run(channel.accept([Inbound("u1", "msg-1", "xin chào")]))
    assert len(wakes) == 1
    asyncio.run(channel.accept([Inbound("u1", "msg-1", "xin chào")]))  # Zalo sent it again
    asyncio.run(channel.accept([StaffEcho("u1", "staff-msg-1")]))  # staff wrote from the OA admin
    asyncio.run(channel.accept([]))  # the echo of one of our own replies
    assert len(wakes) == 1
