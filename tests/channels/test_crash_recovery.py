"""No message lost, no reply sent twice, when a process dies under a steady flow of webhooks (issue 13).

Ten Zalo users each write the same message every two seconds, 5 webhooks a
second, while one of the three processes is
killed with SIGKILL right after a round of webhooks was accepted (so turns are
in flight) and started again. Every webhook answered 200 is a message the
platform will never send again: each must get exactly one reply at the fake
Zalo (as many messages as one such message gets when nothing fails). A
webhook that was not answered 200 (Rasa down) is one the platform would
redeliver, so it is not counted.

Killing the action server needs a turn that calls it: a question the FAQ
action answers. "cảm ơn bạn" is answered by Rasa with the NLG endpoint (the
bot service) alone.
"""

import threading
import time

import httpx
import pytest
from support.fakes import FakePlatforms
from support.webhooks import Webhooks, assistant_on_fakes, new_user, zalo_text

USERS = 10
ROUND_SECONDS = 2.0  # each user writes once a round: 5 webhooks a second
ROUNDS_BEFORE_KILL = 4
ROUNDS_AFTER_RESTART = 4
THANKS = "cảm ơn bạn"  # utter_thank: Rasa and the bot service's NLG
FAQ_QUESTION = "mua bán người là gì"  # action_answer_faq: the action server too
REPLY_TIMEOUT_SECONDS = 180


@pytest.fixture(scope="module")
def zalo():
    with FakePlatforms() as fakes:
        yield fakes


@pytest.fixture(scope="module")
def assistant(trained_model, zalo, tmp_path_factory):
    # A short lease: the killed Rasa's events are taken again 10 s after its last renewal.
    with assistant_on_fakes(
        trained_model,
        zalo.url,
        tmp_path_factory.mktemp("crash"),
        "crash-recovery-logs",
        CHANNEL_INBOX_LEASE_SECONDS="10",
    ) as running:
        yield running


class SteadyUsers:
    """Users writing in rounds from a thread; counts the webhooks each had accepted."""

    def __init__(self, assistant, zalo, text: str) -> None:
        self.text = text
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
                    accepted = self.webhooks.zalo(zalo_text(user, self.text)).status_code == 200
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


def parts_of_one_answer(assistant, zalo, text):
    """How many messages one `text` gets when nothing fails."""
    user = new_user()
    assert Webhooks(assistant.rasa_url, zalo).zalo(zalo_text(user, text)).status_code == 200
    return len(zalo.zalo.wait_for(user, settle=3))


def wait_for_replies(zalo, expected):
    deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
    while time.monotonic() < deadline and any(n < expected[u] for u, n in replies_per_user(zalo, expected).items()):
        time.sleep(0.5)
    time.sleep(5)  # long enough for a duplicate to arrive too
    return replies_per_user(zalo, expected)


@pytest.mark.parametrize(
    "process, text",
    [("rasa", THANKS), ("action server", FAQ_QUESTION), ("bot service", THANKS)],
    ids=["rasa", "action-server", "bot-service"],
)
def test_every_accepted_message_gets_exactly_one_reply_across_a_crash(assistant, zalo, process, text):
    parts = parts_of_one_answer(assistant, zalo, text)
    assert parts >= 1
    with SteadyUsers(assistant, zalo, text) as users:
        users.wait_rounds(ROUNDS_BEFORE_KILL)
        assistant.kill(process)  # just after a round: its turns are in flight
        assistant.restart(process)
        users.wait_rounds(ROUNDS_AFTER_RESTART)
    expected = {user: accepted * parts for user, accepted in users.accepted.items()}
    replies = wait_for_replies(zalo, expected)
    total = sum(users.accepted.values())
    # In messages: a reply of `parts` messages missing (or extra) in part or whole counts once.
    lost = sum(-(-max(0, expected[u] - replies[u]) // parts) for u in users.users)
    duplicated = sum(-(-max(0, replies[u] - expected[u]) // parts) for u in users.users)
    print(f"{process}: {total} accepted, {users.refused} not accepted, {lost} lost, {duplicated} duplicated")
    assert total >= USERS * (ROUNDS_BEFORE_KILL + ROUNDS_AFTER_RESTART)
    assert lost == 0, f"{total} accepted: {lost} lost"
    # A reply Zalo accepted just before SIGKILL, before it was recorded as sent,
    # is found in the OA's conversation and not sent again (channels/zalo.py).
    assert duplicated == 0, f"{total} accepted: {duplicated} replies sent twice"
