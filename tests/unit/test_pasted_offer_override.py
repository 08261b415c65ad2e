"""A phone number alone is a recruiter's number to check, whatever the classifier guessed (nlu.components)."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.components import PastedOfferOverride


def intent_after_override(text: str, guessed: str) -> str:
    override = PastedOfferOverride(PastedOfferOverride.get_default_config())
    message = Message(data={"text": text, "intent": {"name": guessed, "confidence": 0.8}})
    override._override(message)
    return message.get("intent")["name"]


@pytest.mark.parametrize("text", ["0912345678", "0912 345 678", "+84 912.345.678", "0084-912-345-678"])
def test_a_phone_number_alone_is_an_offer_to_check_not_a_quiz_answer(text):
    assert intent_after_override(text, "quiz_answer") == "check_job_offer"


@pytest.mark.parametrize("text", ["2", "câu 3", "15000000 đồng", "1.200", "123456"])
def test_a_quiz_choice_or_a_short_number_keeps_the_classifiers_intent(text):
    assert intent_after_override(text, "quiz_answer") == "quiz_answer"
