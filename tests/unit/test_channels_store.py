"""The inbox's store calls on SQLite and on PostgreSQL (the INSERT … ON CONFLICT of each differs).

PostgreSQL is started from Debian's packages (tests/support/servers.py), once
for the module; those runs are `slow`.
"""

from datetime import datetime, timezone
from itertools import count

import pytest
from support.servers import Postgres

from channels.store import ChannelStore

_databases = count()


@pytest.fixture(scope="module")
def postgres():
    server = Postgres().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def store(request, tmp_path):
    if request.param == "sqlite":
        return ChannelStore(f"sqlite:///{tmp_path / 'app.db'}")
    return ChannelStore(request.getfixturevalue("postgres").url(f"inbox{next(_databases)}"))


def test_queuing_an_event_notes_when_its_user_wrote_unless_it_is_a_redelivery(store):
    assert store.last_user_message("zalo", "user-a") is None
    before = datetime.now(timezone.utc)
    assert store.enqueue("zalo", "msg-1", "user-a", "{}")
    first = store.last_user_message("zalo", "user-a")
    assert first is not None and first >= before
    assert store.enqueue("zalo", "msg-2", "user-a", "{}")
    second = store.last_user_message("zalo", "user-a")
    assert second is not None and second > first  # the row is updated, not added
    assert not store.enqueue("zalo", "msg-1", "user-a", "{}")
    assert store.last_user_message("zalo", "user-a") == second  # a redelivery is not the user writing again
    assert store.last_user_message("telegram", "user-a") is None


def test_a_claim_gives_each_event_with_its_attempt(store):
    store.enqueue("zalo", "1", "user-a", "first")
    store.enqueue("zalo", "2", "user-b", "second")
    assert [(row["event"], row["attempts"], row["rerun"]) for row in store.claim("zalo", "w1", 30, 10)] == [
        ("first", 1, False),
        ("second", 1, False),
    ]
    assert store.claim("zalo", "w2", 30, 10) == []


def test_a_reply_is_recorded_as_attempted_and_marked_sent_with_the_next_record(store):
    store.enqueue("zalo", "msg-1", "user-a", "{}")
    [claimed] = store.claim("zalo", "w1", 30, 10)
    store.reply_attempted(claimed["id"], 0, "user-a")
    [attempt] = store.reply_records(claimed["id"]).values()
    assert not attempt.sent and attempt.attempted_at.tzinfo is not None  # fate unknown, with its time
    store.reply_attempted(claimed["id"], 0, "user-a")  # the turn run again: the first attempt's time stands
    assert store.reply_records(claimed["id"]) == {0: attempt}
    store.reply_attempted(claimed["id"], 1, "user-a", sent=[0])  # the next reply's attempt marks this one sent
    records = store.reply_records(claimed["id"])
    assert records[0] == attempt.__class__(attempt.attempted_at, True) and not records[1].sent
    store.release(claimed["id"], "w1", 0, rerun=True, sent=[1])  # the event given back marks the last one
    assert all(record.sent for record in store.reply_records(claimed["id"]).values())
    [again] = store.claim("zalo", "w2", 30, 10)
    assert (again["id"], again["attempts"], again["rerun"]) == (claimed["id"], 2, True)


def test_done_says_whether_the_user_s_next_event_now_waits(store):
    store.enqueue("zalo", "1", "a", "1")
    store.enqueue("zalo", "2", "b", "2")
    first_a, first_b = store.claim("zalo", "w1", 30, 10)
    store.enqueue("zalo", "3", "a", "3")  # a wrote again while their turn ran
    assert store.done(first_a["id"]) is True
    assert store.done(first_b["id"]) is False
    [second_a] = store.claim("zalo", "w1", 30, 10)
    assert second_a["event"] == "3" and store.done(second_a["id"]) is False
    assert store.reply_records(first_a["id"]) == {}
