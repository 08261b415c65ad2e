from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tracker.erasable_store import erasure_requested


def tracker_with(*events):
    return DialogueStateTracker.from_events("someone", list(events))


def test_erasure_is_requested_by_the_turn_that_ran_the_delete_action():
    tracker = tracker_with(
        UserUttered("xoá dữ liệu"),
        ActionExecuted("utter_confirm_delete"),
        UserUttered("/affirm"),
        ActionExecuted("action_delete_my_data"),
        BotUttered("Đã xoá"),
        ActionExecuted("action_listen"),
    )
    assert erasure_requested(tracker)


def test_an_earlier_deletion_does_not_erase_a_later_conversation():
    tracker = tracker_with(
        UserUttered("/affirm"),
        ActionExecuted("action_delete_my_data"),
        UserUttered("chào"),
        ActionExecuted("utter_greet"),
    )
    assert not erasure_requested(tracker)
