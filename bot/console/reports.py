"""Offers users reported, for campaign staff: the queue, one report, listing its contacts or text, or dismissing it.

A report shows the offer and the contacts found in it; it has no user
identity to show (bot/knownscams/reports.py). Listing goes through the list's
editor, which refuses a verified hotline; each review is in the audit log.
The queue also counts the feedback on verdicts; a report shows the feedback
its reporter gave (bot/knownscams/feedback.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.accounts import CAMPAIGN_ROLES
from bot.console.pages import PREFIX, page
from bot.console.session import staff_only
from bot.console.state import console_of
from bot.knownscams import feedback, reports, similar, store
from bot.knownscams.reports import ReportStatus, ReviewError
from bot.knownscams.store import ListEditor, Protected


@staff_only(roles=CAMPAIGN_ROLES)
async def queue_page(request: Request) -> Response:
    db = console_of(request).db
    return page(
        "reports.html",
        request,
        new=reports.queue(db, ReportStatus.NEW),
        reviewed=reports.queue(db, ReportStatus.CONFIRMED) + reports.queue(db, ReportStatus.DISMISSED),
        feedback=feedback.counts(db),
    )


@staff_only(roles=CAMPAIGN_ROLES)
async def report_page(request: Request) -> Response:
    report = reports.report_by_id(console_of(request).db, request.path_params["report_id"])
    if report is None:
        return page("error.html", request, 404, reason="missing")
    return page(
        "report.html",
        request,
        report=report,
        source=f"Người dùng báo (#{report.id}), {request.state.staff.name} kiểm tra",
        error=request.query_params.get("error", ""),
        refused=_refused_entry(report, request.query_params.get("entry", "")),
        limits=LIMITS,
        feedback=feedback.of_report(console_of(request).db, report.id),
    )


# The list's limits, for the refusals' words (bot/templates/console/_list_refusals.html).
LIMITS = {
    "lure_words": similar.MIN_SHINGLES + 2,
    "lure_chars": store.MAX_LURE_CHARS,
    "source_chars": store.MAX_SOURCE_CHARS,
    "note_chars": store.MAX_NOTE_CHARS,
}


def _refused_entry(report: reports.OfferReport, place: str) -> str:
    """The entry a refusal names (ReviewError.entry), as the report shows it: the redirect carries only its place."""
    if not place.lstrip("-").isdigit():
        return ""
    index = int(place)
    if index == ReviewError.TEXT:
        return "nội dung tin"
    return str(report.contacts[index]["quote"]) if 0 <= index < len(report.contacts) else ""


@staff_only(roles=CAMPAIGN_ROLES)
async def confirm(request: Request) -> Response:
    console, report_id, form = console_of(request), request.path_params["report_id"], request.state.form
    editor = ListEditor(console.db, Protected.from_hotlines(console.content.templates.content.hotlines.values()))
    chosen = [int(i) for i in form.getlist("contact") if str(i).isdigit()]
    reports.confirm(
        console.db,
        editor,
        report_id,
        request.state.staff.name,
        contacts=chosen,
        with_text=form.get("text") == "on",
        source=str(form.get("source", "")),
        note=str(form.get("note", "")),
    )
    return _back_to(report_id)


@staff_only(roles=CAMPAIGN_ROLES)
async def dismiss(request: Request) -> Response:
    report_id = request.path_params["report_id"]
    reports.dismiss(
        console_of(request).db, report_id, request.state.staff.name, str(request.state.form.get("note", ""))
    )
    return _back_to(report_id)


async def refused(request: Request, error: Exception) -> Response:
    """The console app's handler for a ReviewError: back to the report, which says why in Vietnamese from the code.

    The redirect carries the reason's code and the refused entry's place, never
    free text: the page says nothing a crafted link could put in it.
    """
    report_id = request.path_params["report_id"]
    if not isinstance(error, ReviewError):
        raise error
    query = {"error": error.code} | ({"entry": str(error.entry)} if error.entry is not None else {})
    return RedirectResponse(f"{PREFIX}/reports/{report_id}?{urlencode(query)}", status_code=303)


def _back_to(report_id: int) -> Response:
    return RedirectResponse(f"{PREFIX}/reports/{report_id}", status_code=303)


routes = [
    Route("/reports", queue_page),
    Route("/reports/{report_id:int}", report_page),
    Route("/reports/{report_id:int}/confirm", confirm, methods=["POST"]),
    Route("/reports/{report_id:int}/dismiss", dismiss, methods=["POST"]),
]
