"""The action server's responses are checked as Rasa checks them, by a validator built once."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.exceptions import RasaException

from tracker.nlg import SlotsOnlyNLG
from tracker.response_validation import validate_action_result

ACTION = RemoteAction("action_refer", None)
GOOD = {
    "events": [{"event": "slot", "name": "open_question", "value": None, "timestamp": None}],
    "responses": [{"response": "utter_referral_at_home", "template": "utter_referral_at_home"}],
}
BAD = [
    {"events": "not a list", "responses": []},
    {"events": [{"name": "no event type"}], "responses": []},
    {"events": [], "responses": "not a list"},
]


def test_a_valid_response_passes_both():
    assert RemoteAction._validate_action_result(ACTION, GOOD)
    assert validate_action_result(ACTION, GOOD)


@pytest.mark.parametrize("result", BAD)
def test_an_invalid_response_is_refused_with_rasas_error(result):
    with pytest.raises(ValidationError) as rasas:
        RemoteAction._validate_action_result(ACTION, result)
    with pytest.raises(ValidationError) as ours:
        validate_action_result(ACTION, result)
    assert ours.value.message == rasas.value.message


@pytest.mark.parametrize(
    "content", [None, "", {"text": "Chào bạn", "buttons": [{"title": "Có", "payload": "/affirm"}]}]
)
def test_a_valid_nlg_response_passes_both(content):
    assert CallbackNaturalLanguageGenerator.validate_response(content)
    assert SlotsOnlyNLG.validate_response(content)


@pytest.mark.parametrize("content", [{"text": 5}, {"buttons": "not a list"}, {"text": "x", "elements": 3}])
def test_an_invalid_nlg_response_is_refused_with_rasas_error(content):
    with pytest.raises(RasaException) as rasas:
        CallbackNaturalLanguageGenerator.validate_response(content)
    with pytest.raises(RasaException) as ours:
        SlotsOnlyNLG.validate_response(content)
    assert str(ours.value) == str(rasas.value)
