"""The staff console: log in, an inbox that updates itself, a page per case, closed cases, audit log,
and for campaign staff the offers users reported (bot/console/reports.py).

Served by the bot service under /staff, as an app of its own: the route
modules (login, inbox, case_page, admin) read what they need from
request.app.state.console, and raise what they refuse, which the handlers here
turn into pages. Sessions are Starlette's signed cookies (bot/console/session.py);
every form carries the session's CSRF token; Jinja2 autoescapes everything,
and the pages' scripts insert user text with textContent only. Staff see a
case's pseudonymous reference, never the platform user id. The pages carry no
inline script (their scripts are static files), so the Content-Security-Policy
the bot service sends (bot/security_headers.py) can forbid inline script.
Every read of a transcript is in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from bot.console import admin, case_page, dashboard, inbox, login, reports
from bot.console.accounts import KnownDevices, LoginThrottle, check_password
from bot.console.pages import PREFIX, page
from bot.console.session import NotSignedIn, Refused
from bot.console.state import Console
from bot.content import LiveContent
from bot.guards import trusted_networks
from bot.handoff.cases import CaseError
from bot.handoff.delivery import Delivery
from bot.knownscams.reports import ReviewError
from bot.store import Database

STATIC = Path(__file__).parent.parent / "static" / "console"


def console_routes(
    db: Database,
    content: LiveContent,
    delivery: Delivery,
    trusted_proxies: Sequence[str] = (),
    secure_cookies: bool = False,
) -> list[BaseRoute]:
    """The console, mounted at PREFIX.

    `trusted_proxies` (TRUSTED_PROXIES): the only peers whose
    X-Forwarded-For is believed; `secure_cookies`: the device cookie, like the
    session's, goes over HTTPS only.
    """
    console = Starlette(
        routes=[
            *login.routes,
            *inbox.routes,
            *case_page.routes,
            *admin.routes,
            *dashboard.routes,
            *reports.routes,
            Mount("/static", app=StaticFiles(directory=STATIC), name="console_static"),
        ],
        exception_handlers={
            NotSignedIn: _to_login,
            Refused: _refused,
            CaseError: case_page.refused,
            ReviewError: reports.refused,
        },
    )
    console.state.console = Console(
        db=db,
        content=content,
        delivery=delivery,
        throttle=LoginThrottle(),
        devices=KnownDevices(),
        proxies=trusted_networks(trusted_proxies),
        secure_cookies=secure_cookies,
        check_password=lambda name, password: check_password(db, name, password),
    )
    return [Mount(PREFIX, app=console)]


async def _to_login(request: Request, error: Exception) -> Response:
    request.session.clear()
    return RedirectResponse(f"{PREFIX}/login", status_code=303)


async def _refused(request: Request, error: Exception) -> Response:
    refusal = error if isinstance(error, Refused) else Refused()
    return page("error.html", request, refusal.status_code, reason=refusal.reason)
