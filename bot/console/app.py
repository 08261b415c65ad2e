"""The staff console: log in, an inbox that updates itself, a page per case, closed cases, audit log.

Served by the bot service under /staff. Sessions are Starlette's signed
cookies; every form carries the session's CSRF token; Jinja2 autoescapes
everything, and the pages' scripts insert user text with textContent only.
Staff see a case's pseudonymous reference, never the platform user id.
The pages carry no inline script (their scripts are static files), so the
Content-Security-Policy the bot service sends (bot/security_headers.py) can
forbid inline script. Every read of a transcript is in the audit log.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.console.accounts import (
    DEVICE_DAYS,
    KnownDevices,
    LoginThrottle,
    account_by_id,
    account_named,
    all_accounts,
    check_password,
    password_stamp,
)
from bot.content import LiveContent
from bot.guards import request_address, trusted_networks
from bot.handoff import cases, console_queries, presentation
from bot.handoff.cases import CaseError
from bot.handoff.connector_tables import undelivered_since_opened, written_elsewhere_since_opened
from bot.handoff.conversation import VIETNAM_TIME, said_unsafe
from bot.handoff.delivery import Delivery
from bot.handoff.notify import unsent_notifications
from bot.handoff.presentation import as_utc
from bot.store import Case, CaseMessage, Database, StaffAccount, utcnow

MAX_REPLY_CHARS = 2000
MAX_NAME_CHARS = 64  # the name column's width; also bounds the throttle's keys
DEVICE_COOKIE = "staff_device"  # this browser logged in before: see accounts.KnownDevices
PREFIX = "/staff"
STATIC = Path(__file__).parent.parent / "static" / "console"
_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates" / "console"), autoescape=True
)
_PAGES.filters["local_time"] = lambda moment: (
    as_utc(moment).astimezone(VIETNAM_TIME).strftime("%d/%m %H:%M") if moment else ""
)
_PAGES.filters["channel_name"] = presentation.channel_name

Handler = Callable[[Request], Awaitable[Response]]


def console_routes(
    db: Database,
    content: LiveContent,
    delivery: Delivery,
    trusted_proxies: Sequence[str] = (),
    secure_cookies: bool = False,
) -> list[BaseRoute]:
    """The console's routes.

    `trusted_proxies` (TRUSTED_PROXIES): the only peers whose
    X-Forwarded-For is believed; `secure_cookies`: the device cookie, like the
    session's, goes over HTTPS only.
    """
    throttle = LoginThrottle()
    devices = KnownDevices()
    proxies = trusted_networks(trusted_proxies)

    def page(
        template: str,
        request: Request,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        values.update(csrf=_csrf_token(request), staff=getattr(request.state, "staff", None), prefix=PREFIX)
        return HTMLResponse(_PAGES.get_template(template).render(**values), status_code=status_code, headers=headers)

    def signed_in(request: Request) -> StaffAccount | None:
        """The session's account while it is active and its password unchanged since the session began."""
        staff = account_by_id(db, request.session.get("staff_id", 0))
        if staff is None or not hmac.compare_digest(str(request.session.get("stamp", "")), password_stamp(staff)):
            return None
        return staff

    def staff_only(admin: bool = False) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            @wraps(handler)
            async def endpoint(request: Request) -> Response:
                staff = signed_in(request)
                if staff is None:
                    request.session.clear()
                    return RedirectResponse(f"{PREFIX}/login", status_code=303)
                if admin and staff.role != "admin":
                    return page("error.html", request, 403, message="Trang này chỉ dành cho quản trị viên.")
                request.state.staff = staff
                if request.method == "POST":
                    request.state.form = await request.form()
                    if not _csrf_ok(request, request.state.form):
                        return page(
                            "error.html", request, 403, message="Phiên làm việc đã hết hạn: tải lại trang rồi thử lại."
                        )
                return await handler(request)

            return endpoint

        return decorate

    async def login_page(request: Request) -> Response:
        return page("login.html", request)

    async def login(request: Request) -> Response:
        form = await request.form()
        if not _csrf_ok(request, form):
            return page("login.html", request, 403, error="Phiên đăng nhập đã hết hạn, hãy thử lại.")
        name, password = str(form.get("name", ""))[:MAX_NAME_CHARS], str(form.get("password", ""))
        address = requester(request)
        device = request.cookies.get(DEVICE_COOKIE, "")
        by_name = not devices.known(device, name)
        wait = throttle.retry_after(name, address, by_name)
        if wait:
            # Refused without checking the password, and the wait is not lengthened: the owner gets in once it is over.
            return page(
                "login.html",
                request,
                429,
                headers={"Retry-After": str(wait)},
                error=f"Đăng nhập sai nhiều lần. Hãy chờ {wait} giây rồi thử lại.",
            )
        # argon2 takes tens of milliseconds of CPU: in a thread, so other requests are answered meanwhile.
        staff = await run_in_threadpool(check_password, db, name, password)
        if staff is None:
            throttle.failed(name, address, by_name)
            devices.failed(device)
            audit_failed_login(name, address)
            return page("login.html", request, 401, error="Sai tên hoặc mật khẩu.")
        throttle.succeeded(name)
        request.session.clear()  # a new session on login: no fixation
        request.session.update(staff_id=staff.id, stamp=password_stamp(staff), csrf=secrets.token_urlsafe(32))
        cases.audit(db, staff.name, "login")
        response = RedirectResponse(f"{PREFIX}/", status_code=303)
        response.set_cookie(
            DEVICE_COOKIE,
            devices.logged_in(device, staff.name),
            max_age=DEVICE_DAYS * 86400,
            path=f"{PREFIX}/login",
            httponly=True,
            samesite="strict",
            secure=secure_cookies,
        )
        return response

    def requester(request: Request) -> str:
        return request_address(request, proxies) or "?"

    def audit_failed_login(name: str, address: str) -> None:
        """Who was tried, from where; never the password.

        The name is kept only when it is an account's: staff names are known to
        the admins reading this log, and which account is being guessed is the
        point. Any other text may be a password typed into the name field.
        """
        if account_named(db, name) is not None:
            cases.audit(db, name, "login_failed", detail=f"from {address}")
        else:
            cases.audit(db, "?", "login_failed", detail=f"unknown name, from {address}")

    @staff_only()
    async def logout(request: Request) -> Response:
        cases.audit(db, request.state.staff.name, "logout")
        request.session.clear()
        return RedirectResponse(f"{PREFIX}/login", status_code=303)

    @staff_only()
    async def inbox(request: Request) -> Response:
        return page(
            "inbox.html",
            request,
            cases=[_case_row(c) for c in console_queries.open_cases(db)],
            unsent=len(unsent_notifications(db)),
        )

    @staff_only()
    async def inbox_data(request: Request) -> Response:
        return JSONResponse(
            {"cases": [_case_row(c) for c in console_queries.open_cases(db)], "unsent": len(unsent_notifications(db))}
        )

    @staff_only()
    async def case_page(request: Request) -> Response:
        case = console_queries.case_with_transcript(db, request.path_params["case_id"])
        if case is None:
            return page("error.html", request, 404, message="Không có yêu cầu này.")
        cases.audit(db, request.state.staff.name, "view", case.id, f"{len(case.messages)} messages")
        handoff = content.templates.content.handoff
        labels = {q.id: q.label for q in handoff.questions}
        return page(
            "case.html",
            request,
            case=case,
            answers=presentation.answers_for_staff(case, labels),
            unsafe=said_unsafe(handoff, case.answers or {}),
            messages=[_message_row(m) for m in case.messages],
            outcomes=handoff.outcomes,
            **_platform_notices(db, case),
            window=presentation.reply_window(case),
            error=request.query_params.get("error", ""),
            max_reply=MAX_REPLY_CHARS,
        )

    @staff_only()
    async def case_data(request: Request) -> Response:
        case_id = request.path_params["case_id"]
        case = console_queries.case_with_transcript(db, case_id)
        if case is None:
            return JSONResponse({"error": "not_found"}, status_code=404)
        after = int(request.query_params.get("after", "0") or 0)
        messages = console_queries.messages_after(db, case_id, after)
        if messages:  # transcript text leaves the server: who read which case, never the text
            cases.audit(db, request.state.staff.name, "fetch_messages", case_id, f"{len(messages)} messages")
        return JSONResponse(
            {
                "status": case.status,
                "handler": case.handler.name if case.handler else "",
                "messages": [_message_row(m) for m in messages],
                **_platform_notices(db, case),
            }
        )

    def staff_action(action: Callable[[Request, int, StaffAccount], Awaitable[None]]) -> Handler:
        @staff_only()
        async def endpoint(request: Request) -> Response:
            case_id = request.path_params["case_id"]
            try:
                await action(request, case_id, request.state.staff)
            except CaseError as error:
                return RedirectResponse(
                    f"{PREFIX}/cases/{case_id}?error={_ERRORS.get(str(error), 'x')}", status_code=303
                )
            return RedirectResponse(f"{PREFIX}/cases/{case_id}", status_code=303)

        return endpoint

    async def claim(request: Request, case_id: int, staff: StaffAccount) -> None:
        cases.claim(db, case_id, staff)

    async def reply(request: Request, case_id: int, staff: StaffAccount) -> None:
        text = str(request.state.form.get("text", "")).strip()[:MAX_REPLY_CHARS]
        if text:
            case = cases.reply(db, case_id, staff, text)
            await delivery.deliver(case.conversation_id)

    async def note(request: Request, case_id: int, staff: StaffAccount) -> None:
        text = str(request.state.form.get("text", "")).strip()[:MAX_REPLY_CHARS]
        if text:
            cases.add_note(db, case_id, staff, text)

    async def close(request: Request, case_id: int, staff: StaffAccount) -> None:
        outcome = str(request.state.form.get("outcome", ""))
        if outcome not in content.templates.content.handoff.outcomes:
            raise CaseError("no outcome")
        case = cases.close(db, case_id, staff, outcome)
        await delivery.deliver(case.conversation_id)

    @staff_only()
    async def closed(request: Request) -> Response:
        query = request.query_params.get("q", "")[:100]
        outcomes = content.templates.content.handoff.outcomes
        return page("closed.html", request, query=query, cases=console_queries.closed_cases(db, query), outcomes=outcomes)

    @staff_only(admin=True)
    async def audit_page(request: Request) -> Response:
        return page("audit.html", request, entries=console_queries.audit_log(db))

    @staff_only(admin=True)
    async def accounts_page(request: Request) -> Response:
        return page("accounts.html", request, accounts=all_accounts(db))

    return [
        Route(f"{PREFIX}/login", login_page, methods=["GET"]),
        Route(f"{PREFIX}/login", login, methods=["POST"]),
        Route(f"{PREFIX}/logout", logout, methods=["POST"]),
        Route(f"{PREFIX}/", inbox),
        Route(f"{PREFIX}/api/inbox", inbox_data),
        Route(f"{PREFIX}/cases/{{case_id:int}}", case_page),
        Route(f"{PREFIX}/api/cases/{{case_id:int}}", case_data),
        Route(f"{PREFIX}/cases/{{case_id:int}}/claim", staff_action(claim), methods=["POST"]),
        Route(f"{PREFIX}/cases/{{case_id:int}}/reply", staff_action(reply), methods=["POST"]),
        Route(f"{PREFIX}/cases/{{case_id:int}}/note", staff_action(note), methods=["POST"]),
        Route(f"{PREFIX}/cases/{{case_id:int}}/close", staff_action(close), methods=["POST"]),
        Route(f"{PREFIX}/closed", closed),
        Route(f"{PREFIX}/admin/audit", audit_page),
        Route(f"{PREFIX}/admin/accounts", accounts_page),
        Mount(f"{PREFIX}/static", app=StaticFiles(directory=STATIC), name="console_static"),
    ]


# Error codes in the redirect, shown by case.html in words.
_ERRORS = {
    "claimed by someone else": "claimed",
    "case is closed": "closed",
    "no such case": "missing",
    "no outcome": "outcome",
}


def _csrf_token(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


def _csrf_ok(request: Request, form) -> bool:
    expected = request.session.get("csrf", "")
    return bool(expected) and hmac.compare_digest(expected, str(form.get("csrf", "")))


def _waiting_minutes(moment: datetime) -> int:
    return int((utcnow() - as_utc(moment)).total_seconds() // 60)


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "reason": case.reason,
        "status": case.status,
        "channel": presentation.channel_name(case.channel),
        "handler": case.handler.name if case.handler else "",
        "waiting_minutes": _waiting_minutes(case.opened_at),
    }


def _platform_notices(db: Database, case: Case) -> dict[str, list[dict[str, Any]]]:
    """What the platform connectors noticed since the case opened: refused replies, staff writing from the platform."""
    return {
        "undelivered": [
            {**_when_and_where(u), "staff_reply": u.staff_reply, "reason": u.reason}
            for u in undelivered_since_opened(db, case)
        ],
        "written_elsewhere": [_when_and_where(w) for w in written_elsewhere_since_opened(db, case)],
    }


def _when_and_where(notice: Any) -> dict[str, str]:
    return {"at": _PAGES.filters["local_time"](notice.at), "channel": presentation.channel_name(notice.platform)}


def _message_row(message: CaseMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "text": message.text,
        "staff": message.staff.name if message.staff else "",
        "at": _PAGES.filters["local_time"](message.at),
        "pending": message.author == "staff" and message.delivered_at is None,
    }
