"""The monthly report for partners: the dashboard's indicators for one month, as HTML printed to PDF.

    python -m bot report --month 2026-11 --out report.pdf

The same sections (bot/analytics/presentation.py) as the console's dashboard,
so the PDF carries the same cells, "<5" included, each with its definition.
Chromium (the Debian package the browser tests use) prints the HTML; nothing
is fetched: the page is one file with its charts inline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from calendar import monthrange
from datetime import date
from pathlib import Path

import jinja2

from bot.analytics.indicators import SMALL, Filters
from bot.analytics.presentation import sections
from bot.handoff.presentation import channel_name
from bot.store import Database, utcnow

TEMPLATES = Path(__file__).parent.parent / "templates" / "analytics"
# As the browser tests start it: no sandbox as root, nothing that reaches for Google's hosts.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
PRINT_SECONDS = 120


class ReportError(RuntimeError):
    pass


def month_range(month: str) -> Filters:
    """ "2026-11" -> 1 to 30 November 2026."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise ReportError(f"--month must be YYYY-MM, not {month!r}") from None
    return Filters(first, date(year, number, monthrange(year, number)[1]))


def report_html(db: Database, month: str, channel: str | None = None) -> str:
    filters = month_range(month)
    if channel:
        filters = Filters(filters.start, filters.end, channel)
    with db.session() as session:
        shown = sections(session, filters)
    pages = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, TEMPLATES.parent / "shared"]), autoescape=True
    )
    return pages.get_template("report.html").render(
        month=month,
        filters=filters,
        channel=channel_name(channel) if channel else None,
        sections=shown,
        small=SMALL,
        generated=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
    )


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ReportError("Chromium is not installed (scripts/install-system-packages.sh installs it)")
    return found


def print_pdf(html: str, out: Path) -> None:
    """Chromium prints the page to `out`; a profile of its own in a temporary folder, removed after."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={out.resolve()}",
            page.as_uri(),
        ]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_SECONDS)
    if finished.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise ReportError(f"Chromium did not print the report (exit {finished.returncode})")


def write_report(db: Database, month: str, out: Path, channel: str | None = None) -> None:
    print_pdf(report_html(db, month, channel), out)
