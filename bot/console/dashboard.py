"""The campaign dashboard: every indicator for a date range and channel, as a chart, a table and a CSV.

For campaign accounts and admins; hotline accounts are refused (they have
cases), and campaign accounts are refused every case page (accounts.HOTLINE_ROLES).
Every cell comes from bot/analytics/indicators.py already suppressed: a count
resting on fewer than 5 people is "<5" here, in the CSV and in the report.
"""

from __future__ import annotations

from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.analytics.events import WEB_CHAT
from bot.analytics.indicators import Filters
from bot.analytics.presentation import catalogue, csv_of, csv_of_all, section, sections
from bot.console.accounts import CAMPAIGN_ROLES
from bot.console.pages import page
from bot.console.session import Refused, staff_only
from bot.console.state import console_of
from bot.handoff.presentation import CHANNEL_NAMES
from bot.store import utcnow

DEFAULT_DAYS = 30
LONGEST_DAYS = 366
CHANNELS = tuple(CHANNEL_NAMES)  # the web chat is "rest", as Rasa and the cases call it
assert WEB_CHAT in CHANNELS


class BadRange(Refused):
    status_code = 400
    reason = "bad_range"


def filters_of(request: Request) -> Filters:
    """The page's range and channel; by default the last 30 days (UTC) on every channel."""
    today = utcnow().date()
    try:
        end = date.fromisoformat(request.query_params.get("end") or today.isoformat())
        start = date.fromisoformat(request.query_params.get("start") or (end - timedelta(DEFAULT_DAYS - 1)).isoformat())
    except ValueError:
        raise BadRange() from None
    channel = request.query_params.get("channel") or None
    if start > end or (end - start).days >= LONGEST_DAYS or (channel is not None and channel not in CHANNELS):
        raise BadRange()
    return Filters(start, end, channel)


def _query(filters: Filters) -> str:
    return f"start={filters.start}&end={filters.end}" + (f"&channel={filters.channel}" if filters.channel else "")


@staff_only(roles=CAMPAIGN_ROLES)
async def dashboard(request: Request) -> Response:
    filters = filters_of(request)
    with console_of(request).db.session() as session:
        shown = sections(session, filters)
    return page(
        "analytics.html",
        request,
        sections=shown,
        filters=filters,
        query=_query(filters),
        channels=CHANNEL_NAMES,
    )


@staff_only(roles=CAMPAIGN_ROLES)
async def download(request: Request) -> Response:
    """One indicator's table as CSV, or every indicator's (name "all")."""
    filters = filters_of(request)
    name = request.path_params["name"]
    if name != "all" and name not in catalogue():
        raise BadRange()
    with console_of(request).db.session() as session:
        body = (
            csv_of_all(sections(session, filters), filters)
            if name == "all"
            else csv_of(section(session, filters, name))
        )
    filename = f"{name}_{filters.start}_{filters.end}{'_' + filters.channel if filters.channel else ''}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


routes = [
    Route("/analytics", dashboard),
    Route("/analytics/{name}.csv", download),
]
