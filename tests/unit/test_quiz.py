import random

import pytest

from actions.quiz import names_a_hotline
from bot.content.kinds.quizzes import Quiz, QuizOption, QuizQuestion
from bot.quiz import NoQuizRunning, NotAChoice, QuizBook
from bot.store import Database


def question(qid, answer="b"):
    options = tuple(QuizOption(o, f"lựa chọn {o} của {qid}") for o in "abc")
    return QuizQuestion(qid, f"Câu hỏi {qid}?", options, answer, f"Giải thích {qid}", "nguồn")


@pytest.fixture
def book(tmp_path):
    quiz = Quiz("demo", "Demo", "Demo", "Giới thiệu", (question("q1"), question("q2", "a"), question("q3", "c")))
    return QuizBook(Database(f"sqlite:///{tmp_path / 'app.db'}"), {"demo": quiz}, random.Random(7))


def letter_of(view, option_id):
    return next(o.letter for o in view.options if o.option_id == option_id)


def test_full_quiz_scores_and_finishes(book):
    view = book.start("user1", "demo")
    assert (view.number, view.total) == (1, 3)
    outcome = book.answer("user1", letter_of(view, "b"))
    assert outcome.feedback.correct
    outcome = book.answer("user1", letter_of(outcome.next_question, "c"))
    assert not outcome.feedback.correct
    assert outcome.feedback.right_text == "lựa chọn a của q2"
    outcome = book.answer("user1", f"em chọn {letter_of(outcome.next_question, 'c').lower()} ạ")
    assert outcome.result.score == 2 and outcome.result.total == 3
    assert book.current("user1") is None


def test_resume_shows_the_same_question_with_the_same_letters(book):
    first = book.start("user1", "demo")
    book.answer("user1", letter_of(first, "b"))
    waiting = book.current("user1")
    assert waiting.number == 2
    assert book.current("user1") == waiting


def test_answers_by_number_and_by_option_text(book):
    view = book.start("user1", "demo")
    index = [o.option_id for o in view.options].index("b") + 1
    assert book.answer("user1", str(index)).feedback.correct
    view = book.current("user1")
    assert book.answer("user1", "Lựa chọn A của q2").feedback.correct


def test_not_a_choice_offers_the_letters(book):
    book.start("user1", "demo")
    with pytest.raises(NotAChoice) as raised:
        book.answer("user1", "hôm nay trời đẹp quá, đi chơi không bạn ơi")
    assert raised.value.letters == ["A", "B", "C"]


def test_answer_without_a_quiz(book):
    with pytest.raises(NoQuizRunning):
        book.answer("nobody", "a")


def test_stats_count_starts_completions_and_correct_shares(book):
    for user in ("u1", "u2"):
        view = book.start(user, "demo")
        book.answer(user, letter_of(view, "b"))
    stats = book.stats()[0]
    assert (stats.starts, stats.completions) == (2, 0)
    assert stats.questions[0].answered == 2 and stats.questions[0].correct_share == 1.0


def test_erasing_a_user_removes_every_row_about_them(book):
    view = book.start("u1", "demo")
    book.answer("u1", letter_of(view, "b"))
    book.start("u2", "demo")
    assert book.db.erase_user("u1") == 2
    assert book.current("u1") is None
    assert book.current("u2") is not None


@pytest.mark.parametrize(
    ("typed", "names_one"), [("111 la gi", True), ("5656 là số gì", True), ("2", False), ("câu 3", False)]
)
def test_a_verified_number_in_a_quiz_answer_outside_a_quiz_is_a_question_about_it(typed, names_one):
    assert names_a_hotline(typed) is names_one
