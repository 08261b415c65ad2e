"""The cached tracker store reads what Rasa's SQL store reads, without replaying the conversation every turn."""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from tracker.cached_store import CachedSQLTrackerStore, copy_tracker
from tracker.erasable_store import ErasableSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, affirm]
slots:
  open_question:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "chào"}]
"""
)


def run(coroutine):
    return asyncio.run(coroutine)


def user_turn(tracker, text="chào bạn", action="utter_greet"):
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 0.9}, parse_data={"text": text}))
    tracker.update(ActionExecuted(action))
    tracker.update(BotUttered("Chào bạn!", metadata={"utter_action": action}))
    tracker.update(ActionExecuted("action_listen"))


def state(tracker):
    return tracker.current_state(EventVerbosity.ALL) if tracker else None


def stores(tmp_path, cached_events=20_000):
    """A cached store and Rasa's own store on the same database (two instances, or the truth to compare with)."""
    db = str(tmp_path / "tracker.db")
    cached = CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db, cached_events=cached_events)
    return cached, SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db)


def start(store, sender="web-a"):
    run(store.create_tracker(sender))
    return run(store.retrieve(sender))


def test_a_copy_holds_the_same_state_as_a_replay_and_changes_apart_from_it():
    tracker = DialogueStateTracker("web-a", DOMAIN.slots)
    user_turn(tracker)
    tracker.update(SlotSet("open_question", "consent"))
    tracker.update(ActiveLoop("action_handoff"))
    replayed = DialogueStateTracker.from_events("web-a", list(tracker.events), DOMAIN.slots)

    clone = copy_tracker(tracker)

    assert vars(clone).keys() == vars(replayed).keys()
    assert state(clone) == state(replayed)
    assert clone.active_loop_name == "action_handoff"
    clone.update(SlotSet("open_question", None))
    clone.interrupt_loop(True)
    user_turn(clone)
    assert tracker.get_slot("open_question") == "consent"
    assert not tracker.is_active_loop_interrupted
    assert state(tracker) == state(replayed)


def test_copying_a_handed_out_tracker_gives_what_rasas_copy_gives(tmp_path):
    cached, _ = stores(tmp_path)
    start(cached)
    user_turn(tracker := run(cached.retrieve("web-a")))
    tracker.update(ActiveLoop("action_handoff"))
    tracker.model_id = "model"

    clone = tracker.copy()

    rasas = DialogueStateTracker.copy(tracker)
    assert vars(clone).keys() == vars(rasas).keys()
    assert {k: v for k, v in vars(clone).items() if k not in ("events", "slots")} == {
        k: v for k, v in vars(rasas).items() if k not in ("events", "slots")
    }
    assert state(clone) == state(rasas)
    clone.update(ActiveLoop(None))
    assert tracker.active_loop_name == "action_handoff"


def test_every_turn_reads_what_rasa_reads_and_the_cache_is_used(tmp_path, monkeypatch):
    cached, rasa = stores(tmp_path)
    full_reads = []
    read_session = cached._read_session
    monkeypatch.setattr(cached, "_read_session", lambda *a: full_reads.append(a) or read_session(*a))
    start(cached)
    for turn in range(30):
        tracker = run(cached.retrieve("web-a"))
        user_turn(tracker, f"tin nhắn {turn}")
        run(cached.save(tracker))
        assert state(run(cached.retrieve("web-a"))) == state(run(rasa.retrieve("web-a")))
    assert len(full_reads) == 1  # the first read; every later turn came from the cache
    assert len(run(cached.retrieve("web-a")).events) == 1 + 30 * 4


def test_events_of_a_turn_that_was_not_saved_are_not_seen_next_turn(tmp_path):
    cached, rasa = stores(tmp_path)
    start(cached)
    failed = run(cached.retrieve("web-a"))
    user_turn(failed, "lượt bị lỗi")
    failed.update(SlotSet("open_question", "consent"))

    tracker = run(cached.retrieve("web-a"))

    assert state(tracker) == state(run(rasa.retrieve("web-a")))
    assert tracker.get_slot("open_question") is None


def test_turns_another_instance_saved_are_read_and_only_they(tmp_path, monkeypatch):
    cached, other = stores(tmp_path)
    start(cached)
    user_turn(tracker := run(cached.retrieve("web-a")))
    run(cached.save(tracker))
    for _ in range(3):
        user_turn(tracker := run(other.retrieve("web-a")), "từ instance khác")
        run(other.save(tracker))
    monkeypatch.setattr(cached, "_read_session", lambda *a: pytest.fail("re-read the whole conversation"))

    assert state(run(cached.retrieve("web-a"))) == state(run(other.retrieve("web-a")))
    assert len(run(cached.retrieve("web-a")).events) == 1 + 4 * 4


def test_a_conversation_erased_elsewhere_is_gone_here_and_starts_again_empty(tmp_path):
    cached, other = stores(tmp_path)
    start(cached)
    user_turn(tracker := run(cached.retrieve("web-a")))
    run(cached.save(tracker))
    with other.session_scope() as session:
        session.query(other.SQLEvent).filter(other.SQLEvent.sender_id == "web-a").delete()
        session.commit()
    assert run(cached.retrieve("web-a")) is None

    run(other.create_tracker("web-a"))
    assert state(run(cached.retrieve("web-a"))) == state(run(other.retrieve("web-a")))
    assert len(run(cached.retrieve("web-a")).events) == 1


def test_a_new_session_is_read_alone_as_rasa_reads_it(tmp_path):
    cached, rasa = stores(tmp_path)
    start(cached)
    user_turn(tracker := run(cached.retrieve("web-a")))
    run(cached.save(tracker))
    tracker = run(cached.retrieve("web-a"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    user_turn(tracker)
    run(cached.save(tracker))

    assert state(run(cached.retrieve("web-a"))) == state(run(rasa.retrieve("web-a")))
    assert len(run(cached.retrieve("web-a")).events) == 2 + 4


def test_the_cache_holds_at_most_its_number_of_events_dropping_the_least_recent_sender(tmp_path):
    cached, rasa = stores(tmp_path, cached_events=20)
    for sender in ("web-a", "web-b", "web-c"):
        start(cached, sender)
        for _ in range(2):
            user_turn(tracker := run(cached.retrieve(sender)))
            run(cached.save(tracker))
    assert cached.cache.events_held <= 20
    assert cached.cache.get("web-a") is None and cached.cache.get("web-c") is not None
    assert state(run(cached.retrieve("web-a"))) == state(run(rasa.retrieve("web-a")))


def test_an_erased_conversation_is_forgotten_by_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    store = ErasableSQLTrackerStore(domain=DOMAIN)
    start(store)
    user_turn(tracker := run(store.retrieve("web-a")))
    run(store.save(tracker))
    tracker = run(store.retrieve("web-a"))
    tracker.update(UserUttered("/affirm", {"name": "affirm"}))
    tracker.update(ActionExecuted("action_delete_my_data"))
    tracker.update(ActionExecuted("action_listen"))

    run(store.save(tracker))

    assert store.cache.get("web-a") is None
    assert run(store.retrieve("web-a")) is None


def test_a_turn_saved_from_the_cache_writes_only_its_events_without_counting_the_rows(tmp_path, monkeypatch):
    cached, rasa = stores(tmp_path)
    start(cached)
    user_turn(tracker := run(cached.retrieve("web-a")))
    run(cached.save(tracker))
    monkeypatch.setattr(cached, "_additional_events", lambda *a: pytest.fail("counted the stored rows"))
    for turn in range(5):
        user_turn(tracker := run(cached.retrieve("web-a")), f"lượt {turn}")
        run(cached.save(tracker))

    with rasa.session_scope() as session:
        stored = session.query(rasa.SQLEvent).filter(rasa.SQLEvent.sender_id == "web-a").count()
    assert stored == len(run(rasa.retrieve("web-a")).events) == 1 + 6 * 4
    assert state(run(cached.retrieve("web-a"))) == state(run(rasa.retrieve("web-a")))
    # What Rasa's own store wrote and what this one wrote read back the same, column by column.
    with rasa.session_scope() as session:
        rows = session.query(rasa.SQLEvent).order_by(rasa.SQLEvent.id).all()
    intents = [(r.type_name, r.intent_name, r.action_name) for r in rows if r.type_name in ("user", "action")]
    assert intents[-3:] == [("user", "greet", None), ("action", None, "utter_greet"), ("action", None, "action_listen")]


def test_a_turn_another_instance_saved_between_two_of_ours_is_not_lost(tmp_path):
    cached, other = stores(tmp_path)
    start(cached)
    user_turn(tracker := run(cached.retrieve("web-a")))
    run(cached.save(tracker))
    user_turn(tracker := run(cached.retrieve("web-a")))
    run(cached.save(tracker))  # cached with the ids of its own rows
    user_turn(elsewhere := run(other.retrieve("web-a")), "từ instance khác")
    run(other.save(elsewhere))

    assert state(run(cached.retrieve("web-a"))) == state(run(other.retrieve("web-a")))


def test_the_sqlite_store_logs_ahead_and_keeps_its_connections(tmp_path):
    cached, _ = stores(tmp_path)
    with cached.session_scope() as session:
        journal = session.execute(sa.text("PRAGMA journal_mode")).scalar()
        synchronous = session.execute(sa.text("PRAGMA synchronous")).scalar()
    assert (journal, synchronous) == ("wal", 1)  # 1 is NORMAL: no wait for the disk at each commit
    assert isinstance(cached.engine.pool, sa.pool.QueuePool)
