"""Logging in and out: the guessing brake, the device cookie, and the audit of every attempt (docs/handoff.md)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.accounts import DEVICE_DAYS, ROLES, account_named
from bot.console.pages import PREFIX, page
from bot.console.session import begin, csrf_ok, staff_only
from bot.console.state import Console, console_of
from bot.handoff import cases
from bot.store import StaffAccount

MAX_NAME_CHARS = 64  # the name column's width; also bounds the throttle's keys
DEVICE_COOKIE = "staff_device"  # this browser logged in before: see accounts.KnownDevices


async def login_page(request: Request) -> Response:
    return page("login.html", request)


async def login(request: Request) -> Response:
    console = console_of(request)
    form = await request.form()
    if not csrf_ok(request, form):
        return page("login.html", request, 403, error="form_expired")
    name, password = str(form.get("name", ""))[:MAX_NAME_CHARS], str(form.get("password", ""))
    address = console.requester(request)
    device = request.cookies.get(DEVICE_COOKIE, "")
    by_name = not console.devices.known(device, name)
    wait = console.throttle.retry_after(name, address, by_name)
    if wait:
        # Refused without checking the password, and the wait is not lengthened: the owner gets in once it is over.
        return page("login.html", request, 429, headers={"Retry-After": str(wait)}, error="wait", wait=wait)
    # argon2 takes tens of milliseconds of CPU: in a thread, so other requests are answered meanwhile.
    staff = await run_in_threadpool(console.check_password, name, password)
    if staff is None:
        console.throttle.failed(name, address, by_name)
        console.devices.failed(device)
        _audit_failed_login(console, name, address)
        return page("login.html", request, 401, error="wrong_password")
    console.throttle.succeeded(name)
    begin(request, staff)
    cases.audit(console.db, staff.name, "login")
    response = RedirectResponse(f"{PREFIX}{home_of(staff)}", status_code=303)
    response.set_cookie(
        DEVICE_COOKIE,
        console.devices.logged_in(device, staff.name),
        max_age=DEVICE_DAYS * 86400,
        path=f"{PREFIX}/login",
        httponly=True,
        samesite="strict",
        secure=console.secure_cookies,
    )
    return response


def home_of(staff: StaffAccount) -> str:
    """Campaign staff start at the reports they review; everyone else at the cases."""
    return "/reports" if staff.role == "campaign" else "/"


@staff_only(roles=ROLES)
async def logout(request: Request) -> Response:
    cases.audit(console_of(request).db, request.state.staff.name, "logout")
    request.session.clear()
    return RedirectResponse(f"{PREFIX}/login", status_code=303)


def _audit_failed_login(console: Console, name: str, address: str) -> None:
    """Who was tried, from where; never the password.

    The name is kept only when it is an account's: staff names are known to
    the admins reading this log, and which account is being guessed is the
    point. Any other text may be a password typed into the name field.
    """
    if account_named(console.db, name) is not None:
        cases.audit(console.db, name, "login_failed", detail=f"from {address}")
    else:
        cases.audit(console.db, "?", "login_failed", detail=f"unknown name, from {address}")


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
