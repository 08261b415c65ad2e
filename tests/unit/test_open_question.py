"""Which message answers the question on screen (nlu/answers.py), without a trained model."""

import pytest

from nlu.answers import (
    CONSENT,
    DELETE,
    OFFER_TEXT,
    QUIZ,
    VERDICT,
    answers_open_question,
    chosen_option,
    followup_topic,
    is_clear_no,
    is_clear_yes,
    is_delete_confirmation,
    is_quiz_stop,
    open_question,
    opens_with_no,
)

CONSENT_TITLES = ["✅ Có, kết nối"]


@pytest.mark.parametrize(
    "text",
    [
        "có",
        "co a",
        "dc",
        "đc ạ",
        "ok",
        "oke e",
        "đồng ý",
        "kết nối đi",
        "uk dc",
        "vâng",
        "Có, kết nối",
        "✅ Có, kết nối",
    ],
)
def test_a_clear_yes(text):
    assert is_clear_yes(text, CONSENT_TITLES) and not is_clear_no(text)


@pytest.mark.parametrize(
    "text",
    [
        "o lao",
        "co lay lai dc ko",
        "ho lay dt e",
        "có không",
        "bavet la o dau v",
        "em ko biet",
        "ok nhung ma ho dang o gan",
    ],
)
def test_not_a_yes(text):
    assert not is_clear_yes(text, CONSENT_TITLES)


@pytest.mark.parametrize("text", ["ko", "không", "thoi ko can dau", "chưa cần", "k", "không cần đâu ạ"])
def test_a_clear_no(text):
    assert is_clear_no(text) and not is_clear_yes(text)


@pytest.mark.parametrize("text", ["e ko muon lam nua", "không chịu nổi nữa", "em không muốn ở đây"])
def test_wanting_out_of_the_work_is_no_refusal(text):
    assert not is_clear_no(text)


def test_only_the_word_for_it_erases():
    assert is_delete_confirmation("xoá hết") and is_delete_confirmation("xoa di")
    assert (
        not is_delete_confirmation("có")
        and not is_delete_confirmation("không xoá")
        and not is_delete_confirmation("đừng xoá")
    )


@pytest.mark.parametrize(
    "text",
    [
        "dừng",
        "dung quiz",
        "thôi dừng lại",
        "thoat",
        "stop",
        "quit",
        "thoi khong choi nua",
        # Asking to leave mid-quiz.
        "đang dở mà thoát được ko",
        "e muốn thoát",
        "dừng giữa chừng được không",
    ],
)
def test_quiz_stop(text):
    assert is_quiz_stop(text)


@pytest.mark.parametrize("text", ["làm sao thoát ra", "bị giữ, thoát được không", "đang bị nhốt, muốn thoát"])
def test_wanting_out_of_a_place_is_no_quiz_stop(text):
    assert not is_quiz_stop(text)


OPTIONS = [
    {"letter": "A", "text": "Tra tên công ty trên trang của Bộ"},
    {"letter": "B", "text": "Chuyển tiền cọc trước cho chắc"},
]


@pytest.mark.parametrize(
    "typed, index",
    [
        ("a", 0),
        ("B", 1),
        ("câu b", 1),
        ("2", 1),
        ("em chọn 1", 0),
        ("chuyen tien coc truoc cho chac", 1),
        ("chuyen tien cok truoc cho chac", 1),
        ("tra ten cong ty", 0),
        ("111 la so j v", None),
        ("thoat", None),
    ],
)
def test_an_option_by_letter_number_or_its_words(typed, index):
    assert chosen_option(typed, OPTIONS) == index


def events(*asked):
    """A conversation: each turn the user speaks, then the bot may set open_question."""
    out = []
    for value in asked:
        out.append({"event": "user", "text": "..."})
        out.append({"event": "action", "name": "some_action"})
        if value is not None:
            out.append({"event": "slot", "name": "open_question", "value": value})
    out.append({"event": "user", "text": "latest"})
    return out


def test_only_the_question_of_the_latest_turn_is_open():
    assert open_question(events({"kind": CONSENT})) == {"kind": CONSENT}
    assert open_question(events({"kind": CONSENT}, None)) is None
    assert open_question(events({"kind": DELETE}, {"kind": CONSENT})) == {"kind": CONSENT}


def test_consent_takes_everything_but_questions_of_their_own():
    consent = {"kind": CONSENT}
    assert answers_open_question(consent, "o lao", "out_of_scope")
    assert answers_open_question(consent, "ho lay het dt cua moi nguoi", "delete_my_data")
    assert not answers_open_question(consent, "xoá dữ liệu của tôi", "delete_my_data")
    assert answers_open_question(consent, "/affirm", "affirm")
    assert not answers_open_question(consent, "/start_quiz", "start_quiz")
    assert not answers_open_question(consent, "111 là số gì", "ask_hotline")


def test_an_awaited_offer_takes_the_next_message_but_danger_wins():
    awaiting = {"kind": OFFER_TEXT}
    assert answers_open_question(awaiting, "tuyen nv lam o cam 30tr", "check_job_offer")
    assert answers_open_question(awaiting, "tuyen nv truc page o cam luong 30tr", "ask_hotline")
    assert not answers_open_question(awaiting, "số đường dây nóng", "ask_hotline")
    assert not answers_open_question(awaiting, "cuu e", "report_danger")
    assert answers_open_question({"kind": VERDICT}, "vay co nen di ko", "out_of_scope")
    assert answers_open_question({"kind": VERDICT}, "nhung ho bao qua campuchia lam truoc", "ask_warning_signs")
    assert not answers_open_question({"kind": VERDICT}, "cho minh gap nhan vien tu van voi", "request_human")


def test_a_quiz_takes_answers_and_stops_only():
    quiz = {"kind": QUIZ, "options": OPTIONS}
    assert answers_open_question(quiz, "chuyen tien coc truoc cho chac", "check_job_offer")
    assert answers_open_question(quiz, "dung quiz", "deny")
    assert not answers_open_question(quiz, "111 la so j v", "ask_hotline")


@pytest.mark.parametrize(
    "asked", [[{"kind": CONSENT}], [{"kind": DELETE}, None], [None, {"kind": QUIZ}, {"kind": CONSENT}]]
)
def test_the_policy_reads_the_question_from_the_last_turns_alone(asked):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from nlu.components import since_previous_user_message

    tracker = DialogueStateTracker("web-a", slots=None)
    for value in asked:
        tracker.update(UserUttered("...", {"name": "greet"}))
        tracker.update(ActionExecuted("some_action"))
        if value is not None:
            tracker.update(SlotSet("open_question", value))
    tracker.update(UserUttered("latest", {"name": "affirm"}))

    tail = [event.as_dict() for event in since_previous_user_message(tracker)]

    assert len(tail) < len(tracker.events) or len(asked) == 1
    assert open_question(tail) == open_question([event.as_dict() for event in tracker.events]) == asked[-1]


def test_after_a_verdict_thanks_and_a_number_question_are_their_own_however_long():
    verdict = {"kind": "verdict"}
    assert not answers_open_question(verdict, "e qua toi bavet r a, goi so nao", "ask_hotline")
    assert not answers_open_question(verdict, "ok e hiu r, cam on a nhiu", "thank")
    assert answers_open_question(verdict, "nhung ho bao qua campuchia lam truoc", "inform_location")
    # Read as ask_hotline but naming the job's terms: more about the offer.
    assert answers_open_question(verdict, "làm tại bình dương, bao ăn ở", "ask_hotline")
    assert not answers_open_question(verdict, "thoi de e bao cong an", "ask_hotline")
    assert not answers_open_question(verdict, "that ha 😳 ma ban e di r", "ask_hotline")


@pytest.mark.parametrize(
    "text, is_no",
    [
        ("thoi ko dc dau, ho kiem tra dt", True),
        ("không, họ đang ở ngoài cửa", True),
        ("ko sao, ket noi di", False),
        ("không biết có an toàn không", False),
        ("ko, thoi co, ket noi di", False),
        ("em đồng ý", False),
        # "nó" (he, she) folds into the English "no".
        ("nó tên [tên], 20 tuổi", False),
        ("no ten [tên], 20 tuoi", False),
    ],
)
def test_a_message_that_opens_with_a_no_is_a_no_unless_a_yes_follows(text, is_no):
    assert opens_with_no(text) is is_no
    assert answers_open_question({"kind": "consent"}, text, "check_job_offer") is (is_no or is_clear_yes(text))


def test_an_emoji_in_a_quiz_stays_with_the_quiz_but_danger_does_not():
    quiz = {"kind": "quiz", "options": [{"letter": "A", "text": "Có"}, {"letter": "B", "text": "Không"}]}
    assert answers_open_question(quiz, "🤔", "out_of_scope")
    assert answers_open_question(quiz, "??", "out_of_scope")
    assert not answers_open_question(quiz, "😭", "report_danger")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("con toi can mang giay to gi di lam", "papers"),
        ("ho co giu cccd ko", "papers"),
        # A fee for the file is a fee; going is going.
        ("phí làm hồ sơ bao nhiêu", "fee"),
        ("có nên đi ko", "go"),
    ],
)
def test_a_question_about_papers_is_its_own_topic(text, topic):
    assert followup_topic(text) == topic


def test_at_the_consent_question_what_to_do_now_is_its_answer_whatever_the_classifier_says():
    assert answers_open_question({"kind": CONSENT}, "e nen lam gi bay gio", "check_job_offer")


def test_after_a_verdict_a_follow_up_topic_is_about_the_offer_whatever_the_classifier_says():
    verdict = {"kind": "verdict"}
    assert answers_open_question(verdict, "vay toi phai lam gi", "ask_hotline")
    assert answers_open_question(verdict, "phi vay co cao ko", "ask_hotline")
    assert answers_open_question(verdict, "nhung e can tien lam", "out_of_scope")
    assert answers_open_question(verdict, "thôi e ko đi nữa", "deny")
    # An unsure start_quiz on a follow-up's words is no quiz, unless a quiz is named.
    assert answers_open_question(verdict, "co lay lai dc ko", "start_quiz")
    assert not answers_open_question(verdict, "cho e lam quiz ve phi di", "start_quiz")
    assert not answers_open_question(verdict, "thoi e muon xoa het, lam gi cung dc", "delete_my_data")
