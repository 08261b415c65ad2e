"""The quiz engine: one question at a time, progress kept in the database.

Options are shuffled once per attempt and the order is stored, so a user who
comes back later (or after a danger message interrupted them) sees the same
letters for the same options.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.content.kinds.quizzes import Quiz, QuizQuestion
from bot.store import Database, QuizAnswer, QuizAttempt, utcnow
from nlu.answers import chosen_option

LETTERS = "ABCDEFGH"


class NoQuizRunning(Exception):
    """The user answered, but has no unfinished quiz."""


class NotAChoice(Exception):
    """The answer names none of the options; carries the letters to offer."""

    def __init__(self, letters: list[str]) -> None:
        super().__init__(", ".join(letters))
        self.letters = letters


@dataclass(frozen=True)
class ShownOption:
    letter: str
    option_id: str
    text: str


@dataclass(frozen=True)
class QuestionView:
    quiz_id: str
    quiz_title: str
    number: int
    total: int
    text: str
    options: tuple[ShownOption, ...]


@dataclass(frozen=True)
class Feedback:
    correct: bool
    right_letter: str
    right_text: str
    explanation: str
    source: str


@dataclass(frozen=True)
class Result:
    quiz_id: str
    quiz_title: str
    score: int
    total: int
    attempt: int  # 1 for the user's first completed attempt at this quiz, 2+ for a retake


@dataclass(frozen=True)
class AnswerOutcome:
    feedback: Feedback
    next_question: QuestionView | None
    result: Result | None
    quiz_id: str
    question_id: str  # the question answered


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    answered: int
    correct_share: float


@dataclass(frozen=True)
class QuizStats:
    quiz_id: str
    starts: int
    completions: int
    average_score: float | None
    questions: tuple[QuestionStats, ...]


class QuizBook:
    def __init__(self, db: Database, quizzes: dict[str, Quiz], rng: random.Random | None = None) -> None:
        self.db = db
        self.quizzes = quizzes
        self.rng = rng or random.Random()

    def start(self, user_key: str, quiz_id: str) -> QuestionView:
        """A fresh attempt; an unfinished earlier one is left as it was."""
        quiz = self.quizzes[quiz_id]
        questions = [q.id for q in quiz.questions]
        options = {q.id: self.rng.sample([o.id for o in q.options], len(q.options)) for q in quiz.questions}
        with self.db.session() as session:
            attempt = QuizAttempt(user_key=user_key, quiz_id=quiz_id, question_order=questions, option_order=options)
            session.add(attempt)
            session.flush()
            return self._view(attempt)

    def current(self, user_key: str) -> QuestionView | None:
        """The question an unfinished quiz of this user is waiting on."""
        with self.db.session() as session:
            attempt = self._unfinished(session, user_key)
            return self._view(attempt) if attempt else None

    def answer(self, user_key: str, typed: str) -> AnswerOutcome:
        with self.db.session() as session:
            attempt = self._unfinished(session, user_key)
            if attempt is None:
                raise NoQuizRunning()
            quiz = self.quizzes[attempt.quiz_id]
            question = quiz.question(attempt.question_order[attempt.position])
            shown = self._shown_options(attempt, question)
            chosen = _parse_choice(typed, shown)
            if chosen is None:
                raise NotAChoice([o.letter for o in shown])
            right = next(o for o in shown if o.option_id == question.answer)
            correct = chosen.option_id == question.answer
            session.add(
                QuizAnswer(
                    attempt_id=attempt.id,
                    user_key=user_key,
                    quiz_id=quiz.id,
                    question_id=question.id,
                    option_id=chosen.option_id,
                    correct=correct,
                )
            )
            attempt.score += int(correct)
            attempt.position += 1
            feedback = Feedback(correct, right.letter, right.text, question.explanation, question.source)
            if attempt.position >= len(attempt.question_order):
                number = self._finished_count(session, user_key, quiz.id) + 1
                attempt.finished_at = utcnow()
                result = Result(quiz.id, quiz.title, attempt.score, len(attempt.question_order), number)
                return AnswerOutcome(feedback, None, result, quiz.id, question.id)
            return AnswerOutcome(feedback, self._view(attempt), None, quiz.id, question.id)

    def attempt_number(self, user_key: str, quiz_id: str) -> int:
        """What a new attempt at this quiz would be: 1 before the user ever finished it, 2+ for a retake."""
        with self.db.session() as session:
            return self._finished_count(session, user_key, quiz_id) + 1

    def stats(self) -> list[QuizStats]:
        with self.db.session() as session:
            return [self._stats_of(session, quiz) for quiz in self.quizzes.values()]

    # --- internals ---------------------------------------------------------------

    def _unfinished(self, session, user_key: str) -> QuizAttempt | None:
        attempts = session.execute(
            select(QuizAttempt)
            .where(QuizAttempt.user_key == user_key, QuizAttempt.finished_at.is_(None))
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        ).scalars()
        # A quiz removed from content since cannot be resumed.
        return next((a for a in attempts if self._still_playable(a)), None)

    @staticmethod
    def _finished_count(session, user_key: str, quiz_id: str) -> int:
        return session.execute(
            select(func.count()).where(
                QuizAttempt.user_key == user_key, QuizAttempt.quiz_id == quiz_id, QuizAttempt.finished_at.isnot(None)
            )
        ).scalar_one()

    def _still_playable(self, attempt: QuizAttempt) -> bool:
        quiz = self.quizzes.get(attempt.quiz_id)
        return quiz is not None and {q.id for q in quiz.questions} >= set(attempt.question_order)

    def _view(self, attempt: QuizAttempt) -> QuestionView:
        quiz = self.quizzes[attempt.quiz_id]
        question = quiz.question(attempt.question_order[attempt.position])
        return QuestionView(
            quiz.id,
            quiz.title,
            attempt.position + 1,
            len(attempt.question_order),
            question.text,
            self._shown_options(attempt, question),
        )

    @staticmethod
    def _shown_options(attempt: QuizAttempt, question: QuizQuestion) -> tuple[ShownOption, ...]:
        order = [o for o in attempt.option_order.get(question.id, []) if any(x.id == o for x in question.options)]
        order += [o.id for o in question.options if o.id not in order]
        return tuple(
            ShownOption(LETTERS[i], option_id, question.option(option_id).text) for i, option_id in enumerate(order)
        )

    def _stats_of(self, session, quiz: Quiz) -> QuizStats:
        starts = session.scalar(select(func.count()).where(QuizAttempt.quiz_id == quiz.id))
        finished = select(QuizAttempt.score).where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.finished_at.is_not(None))
        scores = session.execute(finished).scalars().all()
        per_question = []
        for question in quiz.questions:
            rows = (
                session.execute(
                    select(QuizAnswer.correct).where(
                        QuizAnswer.quiz_id == quiz.id, QuizAnswer.question_id == question.id
                    )
                )
                .scalars()
                .all()
            )
            share = sum(rows) / len(rows) if rows else 0.0
            per_question.append(QuestionStats(question.id, len(rows), share))
        average = sum(scores) / len(scores) if scores else None
        return QuizStats(quiz.id, starts, len(scores), average, tuple(per_question))


def _parse_choice(typed: str, shown: tuple[ShownOption, ...]) -> ShownOption | None:
    """The option's own words (slips allowed), or a letter or number ("b", "câu B", "em chọn 2")."""
    index = chosen_option(typed, [{"letter": o.letter, "text": o.text} for o in shown])
    return shown[index] if index is not None else None
