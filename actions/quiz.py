import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.referrals import refer
from actions.runtime import count, database, latest_text, live_content, user_key
from bot.quiz import NoQuizRunning, NotAChoice, QuestionView, QuizBook
from nlu.answers import OPEN_QUESTION, QUIZ, QUIZ_MENU, is_quiz_stop

MENU = "menu"
LEADING_SYMBOLS = re.compile(r"^\W+")  # the emoji before a button's words


def quiz_book() -> QuizBook:
    return QuizBook(database(), live_content().templates.content.quizzes)


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def utter_question(dispatcher: CollectingDispatcher, view: QuestionView) -> list[dict]:
    """Shows the question; the options travel in `open_question` so a typed answer finds its way back."""
    options = [{"letter": o.letter, "text": o.text} for o in view.options]
    dispatcher.utter_message(
        response="utter_quiz_question",
        number=view.number,
        total=view.total,
        question=view.text,
        options=options,
        buttons=[
            {"title": o.letter, "payload": payload("quiz_answer", quiz_choice=o.letter.lower())} for o in view.options
        ],
    )
    return [SlotSet(OPEN_QUESTION, {"kind": QUIZ, "options": options})]


def names_a_hotline(typed: str) -> bool:
    """ "111 la gi", "113 là số gì": a verified short number (content/hotlines.yml) named in the message."""
    numbers = {re.sub(r"\D", "", h.number) for h in live_content().templates.content.hotlines.values()}
    return any(n in numbers for n in re.findall(r"\d+", typed))


def answer_quiz(dispatcher: CollectingDispatcher, tracker: Tracker, typed: str) -> list[dict]:
    try:
        outcome = quiz_book().answer(user_key(tracker), typed)
    except NoQuizRunning:
        if names_a_hotline(typed):
            # "111 la gi": the digits read like a choice to the classifier; it is a question about a number.
            return refer(dispatcher, tracker, in_danger=False)
        dispatcher.utter_message(response="utter_quiz_not_running")
        return []
    except NotAChoice as error:
        dispatcher.utter_message(response="utter_quiz_invalid_answer", letters=error.letters)
        return []
    feedback = outcome.feedback
    count(
        tracker,
        lambda rec, channel, key: rec.quiz_answered(
            channel, key, outcome.quiz_id, outcome.question_id, feedback.correct
        ),
    )
    dispatcher.utter_message(
        response="utter_quiz_feedback",
        correct=feedback.correct,
        right_letter=feedback.right_letter,
        right_text=feedback.right_text,
        explanation=feedback.explanation,
        source=feedback.source,
    )
    if outcome.next_question is not None:
        return utter_question(dispatcher, outcome.next_question)
    result = outcome.result
    assert result is not None, "an answer without a next question finishes the quiz"
    count(
        tracker,
        lambda rec, channel, key: rec.quiz_completed(
            channel, key, result.quiz_id, result.score, result.total, result.attempt
        ),
    )
    dispatcher.utter_message(
        response="utter_quiz_result",
        title=result.quiz_title,
        score=result.score,
        total=result.total,
        quiz_id=result.quiz_id,
    )
    return []


class ActionStartQuiz(Action):
    """Starts the chosen quiz, resumes an unfinished one, or offers the list."""

    def name(self) -> str:
        return "action_start_quiz"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if is_quiz_stop(latest_text(tracker)):  # "e ko muon lam quiz nua": the classifier misses the "no"
            dispatcher.utter_message(response="utter_ok")
            return []
        book = quiz_book()
        chosen: str | None = next(tracker.get_latest_entity_values("quiz_id"), None)
        key = user_key(tracker)
        if chosen is None:
            unfinished = book.current(key)
            if unfinished is not None:
                dispatcher.utter_message(response="utter_quiz_resume", title=unfinished.quiz_title)
                return utter_question(dispatcher, unfinished)
        if chosen not in book.quizzes and len(book.quizzes) == 1:
            chosen = next(iter(book.quizzes))
        if chosen not in book.quizzes:
            return utter_menu(dispatcher, book)
        return start_quiz(dispatcher, tracker, book, chosen)


def utter_menu(dispatcher: CollectingDispatcher, book: QuizBook) -> list[dict]:
    """The quizzes, numbered: a platform without buttons, or a person who types "1", can still choose."""
    quizzes = list(book.quizzes.values())
    # Listed by their buttons' words, without the emoji: what the person sees is what they type.
    labels = [LEADING_SYMBOLS.sub("", q.button) for q in quizzes]
    dispatcher.utter_message(
        response="utter_quiz_menu",
        titles=labels,
        buttons=[{"title": q.button, "payload": payload("start_quiz", quiz_id=q.id)} for q in quizzes],
    )
    options = [{"letter": str(n), "text": labels[n - 1], "quiz_id": q.id} for n, q in enumerate(quizzes, 1)]
    return [SlotSet(OPEN_QUESTION, {"kind": QUIZ_MENU, "options": options})]


def start_quiz(dispatcher: CollectingDispatcher, tracker: Tracker, book: QuizBook, chosen: str) -> list[dict]:
    quiz = book.quizzes[chosen]
    dispatcher.utter_message(response="utter_quiz_intro", title=quiz.title, intro=quiz.intro, total=len(quiz.questions))
    key = user_key(tracker)
    attempt = book.attempt_number(key, chosen)
    view = book.start(key, chosen)
    count(tracker, lambda rec, channel, key: rec.quiz_started(channel, key, view.quiz_id, attempt))
    return utter_question(dispatcher, view)


class ActionAnswerQuiz(Action):
    def name(self) -> str:
        return "action_answer_quiz"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        typed = next(tracker.get_latest_entity_values("quiz_choice"), None) or latest_text(tracker)
        return answer_quiz(dispatcher, tracker, typed)
