from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import DangerSignalOverride, VietnameseTokenizer


def tokens_of(text):
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    return tokenizer.tokenize(Message(data={TEXT: text}), TEXT)


def test_tokens_keep_typed_text_and_offsets_with_normalised_lemma():
    text = "Cứu e vs, bị giữ ở Cam"
    tokens = tokens_of(text)
    assert [t.text for t in tokens] == ["Cứu", "e", "vs", "bị", "giữ", "ở", "Cam"]
    assert [t.lemma for t in tokens] == ["cuu", "em", "voi", "bi", "giu", "o", "cam"]
    for token in tokens:
        assert text[token.start : token.end] == token.text


def test_meaningful_emoji_become_tokens():
    tokens = tokens_of("giúp em 🆘 😭")
    assert [(t.text, t.lemma) for t in tokens][-2:] == [("🆘", "sos"), ("😭", "khoc")]


def test_unit_after_a_number_is_read_as_money():
    lemmas = [t.lemma for t in tokens_of("lương 15 tr một tháng")]
    assert lemmas == ["luong", "15", "trieu", "mot", "thang"]


def test_danger_overrides_a_confident_wrong_intent():
    override = DangerSignalOverride(DangerSignalOverride.get_default_config())
    message = Message(data={TEXT: "cuu e voi bi giu o cam"})
    message.set(INTENT, {"name": "greet", "confidence": 0.97})
    message.set(INTENT_RANKING_KEY, [{"name": "greet", "confidence": 0.97}])
    override.process([message])
    assert message.get(INTENT)["name"] == "report_danger"
    assert message.get(INTENT_RANKING_KEY)[1]["name"] == "greet"
    assert "held" in message.get("danger_signals")


def test_no_danger_leaves_the_intent_alone():
    override = DangerSignalOverride(DangerSignalOverride.get_default_config())
    message = Message(data={TEXT: "cho em làm quiz"})
    message.set(INTENT, {"name": "start_quiz", "confidence": 0.4})
    override.process([message])
    assert message.get(INTENT)["name"] == "start_quiz"
