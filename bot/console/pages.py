"""The console's pages: Jinja2 templates (autoescaped), and how every page is rendered."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.console.session import csrf_token
from bot.handoff.cases import Author, Reason, Status
from bot.handoff.conversation import VIETNAM_TIME
from bot.handoff.presentation import as_utc, channel_name

PREFIX = "/staff"  # where the bot service mounts the console; every link and redirect starts with it


def local_time(moment: datetime | None) -> str:
    """Viet Nam time, as staff read it."""
    return as_utc(moment).astimezone(VIETNAM_TIME).strftime("%d/%m %H:%M") if moment else ""


_TEMPLATES = Path(__file__).parent.parent / "templates"
_PAGES = jinja2.Environment(
    # shared/ holds what the dashboard shares with the monthly report (an indicator's table).
    loader=jinja2.FileSystemLoader([_TEMPLATES / "console", _TEMPLATES / "shared"]),
    autoescape=True,
)
_PAGES.filters.update(local_time=local_time, channel_name=channel_name)
# The templates compare a case's fields with the names cases.py gives them, not with copies of the strings.
_PAGES.globals.update(Status=Status, Reason=Reason, Author=Author)


def page(
    template: str,
    request: Request,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """A page, with the session's CSRF token for its forms and the signed-in staff member for its header."""
    values.update(csrf=csrf_token(request), staff=getattr(request.state, "staff", None), prefix=PREFIX)
    return HTMLResponse(_PAGES.get_template(template).render(**values), status_code=status_code, headers=headers)
