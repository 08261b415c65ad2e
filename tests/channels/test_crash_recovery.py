"""No message lost, no reply sent twice, when a process dies under a steady flow of webhooks (issue 13).

Ten Zalo users each write "cảm ơn bạn" (answered by exactly one message)
every two seconds, 5 webhooks a second, while one of the three processes is
killed with SIGKILL right after a round of webhooks was accepted (so turns are
in flight) and started again. Every webhook answered 200 is a message the
platform will never send again: each must get exactly one reply at the fake
Zalo. A webhook that was not answered 200 (Rasa down) is one the platform
would redeliver, so it is not counted.
"""
import threading
import time

import httpx
import pytest

from fakes import FakePlatforms
from webhooks import Webhooks, assistant_on_fakes, new_user, zalo_text

USERS = 10
ROUND_SECONDS = 2.0  # each user writes once a round: 5 webhooks a second
ROUNDS_BEFORE_KILL = 4
ROUNDS_AFTER_RESTART = 4
THANKS = "cảm ơn bạn"  # one reply of one message (test_several_instances)
REPLY_TIMEOUT_SECONDS = 180


@pytest.fixture(scope="module")
def zalo():
    with FakePlatforms() as fakes:
        yield fakes


@pytest.fixture(scope="module")
def assistant(trained_model, zalo, tmp_path_factory):
    # A short lease: the killed Rasa's events are taken again 10 s after its last renewal.
    with assistant_on_fakes(trained_model, zalo.url, tmp_path_factory.mktemp("crash"), "crash-recovery-logs",
                            CHANNEL_INBOX_LEASE_SECONDS="10") as running:
        yield running


class SteadyUsers:
    """Users writing in rounds from a thread; counts the webhooks each had accepted."""

    def __init__(self, assistant, zalo) -> None:
        self.webhooks = Webhooks(assistant.rasa_url, zalo)
        self.webhooks.client.timeout = httpx.Timeout(10)
        self.users = [new_user() for _ in range(USERS)]
        self.accepted = {user: 0 for user in self.users}
        self.refused = 0
        self.rounds = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._write, daemon=True)

    def _write(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            for user in self.users:
                try:
                    accepted = self.webhooks.zalo(zalo_text(user, THANKS)).status_code == 200
                except httpx.HTTPError:
                    accepted = False
                if accepted:
                    self.accepted[user] += 1
                else:
                    self.refused += 1
            self.rounds += 1
            self.stopping.wait(max(0.0, ROUND_SECONDS - (time.monotonic() - started)))

    def wait_rounds(self, count: int) -> None:
        until = self.rounds + count
        while self.rounds < until:
            time.sleep(0.05)

    def __enter__(self) -> "SteadyUsers":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.thread.join()


def replies_per_user(zalo, users):
    return {user: len(zalo.zalo.to(user)) for user in users}


def wait_for_replies(zalo, accepted):
    deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
    while time.monotonic() < deadline and any(n < accepted[u] for u, n in replies_per_user(zalo, accepted).items()):
        time.sleep(0.5)
    time.sleep(5)  # long enough for a duplicate to arrive too
    return replies_per_user(zalo, accepted)


@pytest.mark.parametrize("process", ["rasa", "action server", "bot service"])
def test_every_accepted_message_gets_exactly_one_reply_across_a_crash(assistant, zalo, process):
    with SteadyUsers(assistant, zalo) as users:
        users.wait_rounds(ROUNDS_BEFORE_KILL)
        assistant.kill(process)  # just after a round: its turns are in flight
        assistant.restart(process)
        users.wait_rounds(ROUNDS_AFTER_RESTART)
    replies = wait_for_replies(zalo, users.accepted)
    total = sum(users.accepted.values())
    lost = sum(max(0, users.accepted[u] - replies[u]) for u in users.users)
    duplicated = sum(max(0, replies[u] - users.accepted[u]) for u in users.users)
    print(f"{process}: {total} accepted, {users.refused} not accepted, {lost} lost, {duplicated} duplicated")
    assert total >= USERS * (ROUNDS_BEFORE_KILL + ROUNDS_AFTER_RESTART)
    assert (lost, duplicated) == (0, 0), f"{total} accepted: {lost} lost, {duplicated} replies sent twice"
