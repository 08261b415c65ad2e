"""Who is signed in, and the session's CSRF token; refusals are exceptions the console app turns into pages.

Sessions are Starlette's signed cookies. A session remembers a digest of the
password hash it began with, so a deactivated account or a changed password
ends it at its next request.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Collection
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.console.accounts import HOTLINE_ROLES, account_by_id, password_stamp
from bot.console.state import console_of
from bot.store import StaffAccount

Handler = Callable[[Request], Awaitable[Response]]


class NotSignedIn(Exception):
    """No session, or one whose account is gone or whose password changed: to the login page."""


class Refused(Exception):
    """A signed-in request the console will not do; `reason` is the word error.html says it in."""

    status_code = 403
    reason = ""


class AdminOnly(Refused):
    reason = "admin_only"


class NotForYourRole(Refused):
    """Campaign staff see figures and review reports, never a case (a victim's transcript); hotline staff the reverse; admins all."""

    reason = "not_your_role"


class FormExpired(Refused):
    """The form's CSRF token is not the session's."""

    reason = "form_expired"


def begin(request: Request, staff: StaffAccount) -> None:
    """A new session on login (no fixation), remembering the password it was opened with."""
    request.session.clear()
    request.session.update(staff_id=staff.id, stamp=password_stamp(staff), csrf=secrets.token_urlsafe(32))


def signed_in(request: Request) -> StaffAccount | None:
    """The session's account while it is active and its password unchanged since the session began."""
    staff = account_by_id(console_of(request).db, request.session.get("staff_id", 0))
    if staff is None or not hmac.compare_digest(str(request.session.get("stamp", "")), password_stamp(staff)):
        return None
    return staff


def staff_only(admin: bool = False, roles: Collection[str] = HOTLINE_ROLES) -> Callable[[Handler], Handler]:
    """For signed-in staff of `roles` (admins only, with `admin`); a POST's form is read and its CSRF token checked first.

    The handler finds the account in request.state.staff and a POST's form in request.state.form.
    """

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            staff = signed_in(request)
            if staff is None:
                raise NotSignedIn()
            if admin and staff.role != "admin":
                raise AdminOnly()
            if staff.role not in roles:
                raise NotForYourRole()
            request.state.staff = staff
            if request.method == "POST":
                request.state.form = await request.form()
                if not csrf_ok(request, request.state.form):
                    raise FormExpired()
            return await handler(request)

        return endpoint

    return decorate


def csrf_token(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    token: str = request.session["csrf"]
    return token


def csrf_ok(request: Request, form: Any) -> bool:
    expected = request.session.get("csrf", "")
    return bool(expected) and hmac.compare_digest(expected, str(form.get("csrf", "")))
