import unicodedata

import pytest

from nlu.normalise import fold, normalise, normalise_with_origin
from nlu.phrases import PhraseSet


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Cứu em với", "cuu em voi"),
        ("cuu e vs", "cuu em voi"),
        ("ĐƯỢC KHÔNG", "duoc khong"),
        ("đc ko", "duoc khong"),
        ("Ko cần KN, ib sđt", "khong can kinh nghiem, nhan tin so dien thoai"),
        ("lương 15tr/tháng", "luong 15 trieu/thang"),
        ("15 củ", "15 trieu"),
        ("500k/ngày", "500 nghin/ngay"),
        ("bị giữ ở Cam 😭", "bi giu o cam khoc"),
        ("🆘🆘", "sos sos"),
        ("  nhiều   khoảng   trắng  ", "nhieu khoang trang"),
    ],
)
def test_normalise_reads_text_as_people_type_it(typed, expected):
    assert normalise(typed) == expected


def test_k_after_a_number_is_thousand_and_alone_is_no():
    assert normalise("500 k") == "500 nghin"
    assert normalise("k đi đâu") == "khong di dau"


def test_decomposed_input_is_composed_first():
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    assert normalise(decomposed) == "viet nam"


def test_fold_keeps_length_of_composed_text():
    text = "Đài Loan, Hàn Quốc, Miến Điện"
    assert len(fold(text)) == len(text)
    assert fold(text) == "dai loan, han quoc, mien dien"


def test_origin_quotes_the_users_own_words():
    normalised = normalise_with_origin("Họ KO cho e về 😭")
    start = normalised.text.index("khong cho em ve")
    end = start + len("khong cho em ve")
    assert normalised.quote(start, end) == "KO cho e về"


@pytest.mark.parametrize(
    "strange",
    ["", "   ", "\u200b\u200d", "💥" * 1000, "a" * 100_000, "\x00\x01", "👨‍👩‍👧"],
    ids=["empty", "spaces", "invisible", "emoji-flood", "100k-chars", "control", "zwj-family"],
)
def test_strange_input_does_not_break_normalisation(strange):
    result = normalise_with_origin(strange)
    assert len(result.text) == len(result.origin)


def test_a_phrase_that_starts_with_a_sign_matches_against_the_number_before_it():
    phrases = PhraseSet(["% lương tháng đầu"])
    assert phrases.find("thu 30% lương tháng đầu") and phrases.find("thu 30 % lương tháng đầu")
    assert not PhraseSet(["lương"]).find("luongthang")


@pytest.mark.parametrize(
    "phrases, text, quotes",
    [
        (
            ["lương cao", "lương cao ngất", "cao ngất"],
            "việc nhẹ lương cao ngất ngưởng, lương cao",
            ["lương cao ngất", "lương cao"],
        ),
        (["ca/ngày", "phí"], "làm 2 ca/ngày, không mất phí, phí 2tr", ["ca/ngày", "phí"]),
        (
            ["đi * làm"],
            "đi sang Lào làm, đi làm, đi qua bên kia làm",
            ["đi sang Lào làm", "đi làm", "đi qua bên kia làm"],
        ),
        (["% lương tháng đầu", "lương"], "thu 30% lương tháng đầu, lương 8tr", ["% lương tháng đầu", "lương"]),
    ],
    ids=["longest-wins", "word-then-sign", "gap", "phrase-starting-with-a-sign"],
)
def test_a_phrase_set_finds_each_phrase_where_it_starts_and_nowhere_else(phrases, text, quotes):
    # Matches are tried only where the text has a phrase's first word: the same
    # matches, left to right and not overlapping, as trying every position.
    assert [match.quote for match in PhraseSet(phrases).find(text)] == quotes
