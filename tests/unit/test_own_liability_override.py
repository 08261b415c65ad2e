"""A victim's question about punishment is not a pasted offer, whatever the classifier guessed (nlu.components)."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.components import OwnLiabilityQuestionOverride


def intent_after_override(text: str, guessed: str) -> str:
    override = OwnLiabilityQuestionOverride({})
    message = Message(data={"text": text, "intent": {"name": guessed, "confidence": 0.9}})
    override._override(message)
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "e tung bi ep lam lua dao ben cpc 6 thang, gio ve vn r, e co bi di tu ko",
        "hồi ở campuchia em bị ép lừa người ta, giờ về có bị bắt không",
    ],
)
def test_forced_work_and_a_punishment_question_get_the_victims_answer(text):
    assert intent_after_override(text, "check_job_offer") == "ask_trafficking_info"


@pytest.mark.parametrize(
    ("text", "guessed"),
    [
        # An offer: no forced work, no question about punishment.
        ("Tuyển nhân viên đi Campuchia lương 1500 usd, bao ăn ở", "check_job_offer"),
        # Only one of the two.
        ("họ ép em đóng 2 triệu tiền cọc mới cho đi làm", "check_job_offer"),
        # Danger is never replaced: the danger net runs after and the intent stays.
        ("em bị ép lừa đảo, họ đánh em, em có bị đi tù không", "report_danger"),
    ],
)
def test_anything_else_keeps_its_intent(text, guessed):
    assert intent_after_override(text, guessed) == guessed
