"""For admins only: the audit log and the account list (accounts are made on the command line)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.accounts import all_accounts
from bot.console.pages import page
from bot.console.session import staff_only
from bot.console.state import console_of
from bot.handoff import console_queries


@staff_only(admin=True)
async def audit_page(request: Request) -> Response:
    return page("audit.html", request, entries=console_queries.audit_log(console_of(request).db))


@staff_only(admin=True)
async def accounts_page(request: Request) -> Response:
    return page("accounts.html", request, accounts=all_accounts(console_of(request).db))


routes = [
    Route("/admin/audit", audit_page),
    Route("/admin/accounts", accounts_page),
]
