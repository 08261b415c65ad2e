"""content/quizzes/*.yml: one quiz a file, its questions, options and the right answer with its source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.schema import LIST, SOURCED, TEXT, Problems, check_fields, unique


@dataclass(frozen=True)
class QuizOption:
    id: str
    text: str


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    text: str
    options: tuple[QuizOption, ...]
    answer: str
    explanation: str
    source: str

    def option(self, option_id: str) -> QuizOption:
        return next(o for o in self.options if o.id == option_id)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    button: str
    intro: str
    questions: tuple[QuizQuestion, ...]
    path: Path | None = None
    line: int = 1

    def question(self, question_id: str) -> QuizQuestion:
        return next(q for q in self.questions if q.id == question_id)


QUIZ_FIELDS = {"id": TEXT, "title": TEXT, "button": TEXT, "intro": TEXT, "questions": LIST}
QUESTION_FIELDS = {"id": TEXT, "question": TEXT, "options": LIST, "answer": TEXT, "explanation": TEXT, **SOURCED}
OPTION_FIELDS = {"id": TEXT, "text": TEXT}


def read_quiz(data: Any, path: Path, problems: Problems, quizzes: dict[str, Quiz]) -> None:
    """Adds this file's quiz to `quizzes`, those of the files read before."""
    if not check_fields(data, QUIZ_FIELDS, path, 1, problems, "bộ quiz"):
        return
    if not unique(data["id"], quizzes, path, data.line_of("id"), problems):
        return
    questions = []
    seen: dict[str, QuizQuestion] = {}
    for index, item in enumerate(data["questions"]):
        question = _read_question(item, path, data["questions"].line_of(index), problems)
        if question and unique(question.id, seen, path, item.line, problems):
            seen[question.id] = question
            questions.append(question)
    quizzes[data["id"]] = Quiz(
        data["id"], data["title"], data["button"], data["intro"], tuple(questions), path, data.line_of("button")
    )


def _read_question(item: Any, path: Path, line: int, problems: Problems) -> QuizQuestion | None:
    what = f"câu hỏi '{item.get('id', '?') if isinstance(item, dict) else '?'}'"
    if not check_fields(item, QUESTION_FIELDS, path, line, problems, what):
        return None
    options: dict[str, QuizOption] = {}
    for index, option in enumerate(item["options"]):
        option_line = item["options"].line_of(index)
        if check_fields(option, OPTION_FIELDS, path, option_line, problems, f"lựa chọn của {what}"):
            if unique(option["id"], options, path, option_line, problems):
                options[option["id"]] = QuizOption(option["id"], option["text"])
    if len(options) < 2:
        problems.add(path, item.line_of("options"), f"{what} cần ít nhất 2 lựa chọn")
    if item["answer"] not in options:
        problems.add(
            path,
            item.line_of("answer"),
            f"đáp án '{item['answer']}' của {what} không trùng 'id' của lựa chọn nào ({', '.join(options)})",
        )
        return None
    return QuizQuestion(
        item["id"], item["question"], tuple(options.values()), item["answer"], item["explanation"], item["source"]
    )
