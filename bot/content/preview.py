"""`python -m bot content preview KIND ID [--channel NAME]`: what a user would see."""

from __future__ import annotations

from typing import Any

import jinja2

from bot.content.render import Templates

KINDS = ("message", "quiz", "faq", "hotline", "sign")


def _shown(rendered: dict[str, Any]) -> str:
    buttons = "  ".join(f"[{b['title']}]" for b in rendered["buttons"])
    return rendered["text"] + (f"\n{buttons}" if buttons else "")


def preview_message(templates: Templates, name: str, channel: str) -> str:
    definition = templates.content.messages[name]
    # Messages that need values from the assistant show each as «name».
    arguments = {variable: f"«{variable}»" for variable in definition.variables}
    try:
        return _shown(templates.render(name, channel, arguments, {}))
    except jinja2.TemplateError as error:
        needed = ", ".join(definition.variables)
        return f"(tin nhắn này cần dữ liệu thật từ trợ lý: {needed}; xem bằng cách dùng trợ lý) {error}"


def preview_quiz(templates: Templates, quiz_id: str, channel: str) -> str:
    quiz = templates.content.quizzes[quiz_id]
    parts: list[str] = [
        _shown(
            templates.render(
                "utter_quiz_intro",
                channel,
                {"title": quiz.title, "intro": quiz.intro, "total": len(quiz.questions)},
                {},
            )
        )
    ]
    for number, question in enumerate(quiz.questions, 1):
        options = [{"letter": chr(ord("A") + i), "text": o.text} for i, o in enumerate(question.options)]
        parts.append(
            _shown(
                templates.render(
                    "utter_quiz_question",
                    channel,
                    {"number": number, "total": len(quiz.questions), "question": question.text, "options": options},
                    {},
                )
            )
        )
        right = next(o for o in options if o["text"] == question.option(question.answer).text)
        parts.append(
            _shown(
                templates.render(
                    "utter_quiz_feedback",
                    channel,
                    {
                        "correct": True,
                        "right_letter": right["letter"],
                        "right_text": right["text"],
                        "explanation": question.explanation,
                        "source": question.source,
                    },
                    {},
                )
            )
        )
    return "\n\n---\n\n".join(parts)


def preview(templates: Templates, kind: str, item_id: str, channel: str) -> str:
    content = templates.content
    if kind == "message":
        return preview_message(templates, item_id, channel)
    if kind == "quiz":
        return preview_quiz(templates, item_id, channel)
    if kind == "faq":
        return templates.render("utter_faq_answer", channel, {"topic": item_id}, {})["text"]
    if kind == "hotline":
        h = content.hotlines[item_id]
        return f"{h.name}\n📞 {h.number} (bấm gọi: {h.dial})\n{h.purpose}\n{h.hours}, {h.cost}\nNguồn: {h.source} (kiểm tra {h.checked})"
    sign = content.signs[item_id]
    return f"🚩 {sign.title}\n→ {sign.explanation}\nNên làm: {sign.advice}\nNguồn: {sign.source}"
