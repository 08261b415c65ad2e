"""The inbox (open cases, refreshed by the page every 2 s) and the search of closed cases."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.console.pages import page
from bot.console.session import staff_only
from bot.console.state import Console, console_of
from bot.handoff import console_queries
from bot.handoff.notify import unsent_notifications
from bot.handoff.presentation import as_utc, channel_name
from bot.store import Case, utcnow

MAX_QUERY_CHARS = 100


@staff_only()
async def inbox(request: Request) -> Response:
    return page("inbox.html", request, **_inbox(console_of(request)))


@staff_only()
async def inbox_data(request: Request) -> Response:
    return JSONResponse(_inbox(console_of(request)))


@staff_only()
async def closed(request: Request) -> Response:
    console = console_of(request)
    query = request.query_params.get("q", "")[:MAX_QUERY_CHARS]
    found = console_queries.closed_cases(console.db, query)
    return page("closed.html", request, query=query, cases=found, outcomes=console.handoff().outcomes)


def _inbox(console: Console) -> dict[str, Any]:
    """Open cases, and how many announcements to staff are still unsent (the page warns)."""
    return {
        "cases": [_case_row(case) for case in console_queries.open_cases(console.db)],
        "unsent": len(unsent_notifications(console.db)),
    }


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "reason": case.reason,
        "status": case.status,
        "channel": channel_name(case.channel),
        "handler": case.handler.name if case.handler else "",
        "waiting_minutes": int((utcnow() - as_utc(case.opened_at)).total_seconds() // 60),
    }


routes = [
    Route("/", inbox),
    Route("/api/inbox", inbox_data),
    Route("/closed", closed),
]
