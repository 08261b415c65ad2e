"""Which FAQ answer a question gets, by the keywords in content/faq.yml (bot/faq.py)."""

import pytest
from support import ROOT

from bot.content import load_templates
from bot.faq import best_topic


@pytest.fixture(scope="module")
def topics():
    loaded, problems = load_templates(ROOT / "content")
    assert not problems
    return loaded.content.faq


@pytest.mark.parametrize(
    "question, topic",
    [
        # Who is behind the campaign or this assistant: the campaign answer names UNODC.
        ("chiến dịch này là gì", "campaign"),
        ("chien dich nay do ai dung sau vay", "campaign"),
        ("ai tạo ra cái chatbot này thế", "campaign"),
        ("tro ly nay cua ai lap ra", "campaign"),
        # A name asked about is the topic, not the question form "là gì".
        ("UNODC là gì", "campaign"),
        ("unodc la gi vay", "campaign"),
        # The other topics keep their questions.
        ("mua bán người là gì", "what_is_trafficking"),
        ("buon nguoi la gi z", "what_is_trafficking"),
        ("nạn nhân được hỗ trợ gì", "victim_support"),
        ("bị ép lừa đảo có bị đi tù ko", "forced_criminality"),
        ("mua ban nguoi bi phat bao nhieu nam tu", "penal_code"),
    ],
)
def test_question_gets_its_topic(topics, question, topic):
    assert best_topic(question, topics) == topic
