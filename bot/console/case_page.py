"""One case: its page and the page's 2-second poll, and what staff do to it (claim, reply, note, close).

Every read of a transcript is in the audit log, never what anyone wrote. A
staff action the case's state refuses raises a CaseError; `refused` sends the
browser back to the case page, which says why.
"""

from __future__ import annotations

from typing import Any, TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.console.pages import PREFIX, local_time, page
from bot.console.session import staff_only
from bot.console.state import Console, console_of
from bot.handoff import cases, console_queries
from bot.handoff.cases import Author, CaseClosed, CaseError, ClaimedBySomeoneElse, NoSuchCase
from bot.handoff.connector_tables import undelivered_since_opened, written_elsewhere_since_opened
from bot.handoff.conversation import said_unsafe
from bot.handoff.presentation import answers_for_staff, channel_name, reply_window
from bot.store import Case, CaseMessage
from contract.limits import STRICTEST_TEXT_LENGTH, cut_to

# One message on every platform; counted in UTF-16 units, as the platforms and the
# textarea's maxlength count (HTML: "the length of the value" in code units).
MAX_REPLY_CHARS = STRICTEST_TEXT_LENGTH


class NoOutcome(CaseError):
    def __init__(self) -> None:
        super().__init__("no outcome")


# What the redirect's ?error= says, shown by case.html in words.
_REFUSALS: dict[type[Exception], str] = {
    ClaimedBySomeoneElse: "claimed",
    CaseClosed: "closed",
    NoSuchCase: "missing",
    NoOutcome: "outcome",
}


class PlatformNotices(TypedDict):
    """What the platform connectors noticed since the case opened: refused replies, staff writing from the platform."""

    undelivered: list[dict[str, Any]]
    written_elsewhere: list[dict[str, str]]


@staff_only()
async def case_page(request: Request) -> Response:
    console = console_of(request)
    case = console_queries.case_with_transcript(console.db, request.path_params["case_id"])
    if case is None:
        return page("error.html", request, 404, reason="missing")
    cases.audit(console.db, request.state.staff.name, "view", case.id, f"{len(case.messages)} messages")
    handoff = console.handoff()
    labels = {q.id: q.label for q in handoff.questions}
    notices = _platform_notices(console, case)
    return page(
        "case.html",
        request,
        case=case,
        answers=answers_for_staff(case, labels),
        unsafe=said_unsafe(handoff, case.answers or {}),
        messages=[_message_row(m) for m in case.messages],
        outcomes=handoff.outcomes,
        undelivered=notices["undelivered"],
        written_elsewhere=notices["written_elsewhere"],
        window=reply_window(case),
        error=request.query_params.get("error", ""),
        max_reply=MAX_REPLY_CHARS,
    )


@staff_only()
async def case_data(request: Request) -> Response:
    console = console_of(request)
    case_id = request.path_params["case_id"]
    case = console_queries.case_with_transcript(console.db, case_id)
    if case is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    after = int(request.query_params.get("after", "0") or 0)
    messages = console_queries.messages_after(console.db, case_id, after)
    if messages:  # transcript text leaves the server: who read which case, never the text
        cases.audit(console.db, request.state.staff.name, "fetch_messages", case_id, f"{len(messages)} messages")
    return JSONResponse(
        {
            "status": case.status,
            "handler": case.handler.name if case.handler else "",
            "messages": [_message_row(m) for m in messages],
            **_platform_notices(console, case),
        }
    )


@staff_only()
async def claim(request: Request) -> Response:
    case_id = request.path_params["case_id"]
    cases.claim(console_of(request).db, case_id, request.state.staff)
    return _back_to(case_id)


@staff_only()
async def reply(request: Request) -> Response:
    console, case_id = console_of(request), request.path_params["case_id"]
    text = _typed_text(request)
    if text:
        case = cases.reply(console.db, case_id, request.state.staff, text)
        await console.delivery.deliver(case.conversation_id)
    return _back_to(case_id)


@staff_only()
async def note(request: Request) -> Response:
    case_id = request.path_params["case_id"]
    text = _typed_text(request)
    if text:
        cases.add_note(console_of(request).db, case_id, request.state.staff, text)
    return _back_to(case_id)


@staff_only()
async def close(request: Request) -> Response:
    console, case_id = console_of(request), request.path_params["case_id"]
    outcome = str(request.state.form.get("outcome", ""))
    if outcome not in console.handoff().outcomes:
        raise NoOutcome()
    case = cases.close(console.db, case_id, request.state.staff, outcome)
    await console.delivery.deliver(case.conversation_id)
    return _back_to(case_id)


async def refused(request: Request, error: Exception) -> Response:
    """The console app's handler for a CaseError: back to the case page, which says why."""
    code = _REFUSALS.get(type(error), "x")
    return RedirectResponse(f"{PREFIX}/cases/{request.path_params['case_id']}?error={code}", status_code=303)


def _back_to(case_id: int) -> Response:
    return RedirectResponse(f"{PREFIX}/cases/{case_id}", status_code=303)


def _typed_text(request: Request) -> str:
    return cut_to(str(request.state.form.get("text", "")).strip(), MAX_REPLY_CHARS)


def _platform_notices(console: Console, case: Case) -> PlatformNotices:
    return {
        "undelivered": [
            {**_when_and_where(u.at, u.platform), "staff_reply": u.staff_reply, "reason": u.reason}
            for u in undelivered_since_opened(console.db, case)
        ],
        "written_elsewhere": [
            _when_and_where(w.at, w.platform) for w in written_elsewhere_since_opened(console.db, case)
        ],
    }


def _when_and_where(at: Any, platform: str) -> dict[str, str]:
    return {"at": local_time(at), "channel": channel_name(platform)}


def _message_row(message: CaseMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "text": message.text,
        "staff": message.staff.name if message.staff else "",
        "at": local_time(message.at),
        "pending": message.author == Author.STAFF and message.delivered_at is None,
    }


routes = [
    Route("/cases/{case_id:int}", case_page),
    Route("/api/cases/{case_id:int}", case_data),
    Route("/cases/{case_id:int}/claim", claim, methods=["POST"]),
    Route("/cases/{case_id:int}/reply", reply, methods=["POST"]),
    Route("/cases/{case_id:int}/note", note, methods=["POST"]),
    Route("/cases/{case_id:int}/close", close, methods=["POST"]),
]
