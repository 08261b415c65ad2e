"""How the indicators are shown: titles and definitions (catalogue.yml), an SVG bar chart, a table, a CSV.

The dashboard (bot/console/dashboard.py) and the monthly report
(bot/analytics/report.py) both show `sections`, so the page, the CSV and the
PDF carry the same cells, "<5" included: nothing here computes a figure, it
only draws the cells indicators.py already suppressed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from bot.analytics.indicators import HIDDEN, INDICATORS, Filters, Row

CATALOGUE = Path(__file__).parent / "catalogue.yml"
# Chart geometry, in SVG user units (the SVG scales to its box).
WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR_HEIGHT, GAP = 720, 260, 60, 16, 8
COLOURS = ("#1d3557", "#e07a5f")  # one per value column; dark blue first, as the console's header


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    definition: str
    labels: tuple[str, ...]
    values: tuple[str, ...]
    unit: str


@dataclass(frozen=True)
class Section:
    entry: Entry
    rows: list[Row]

    @property
    def columns(self) -> list[str]:
        return list(self.rows[0]) if self.rows else [*self.entry.labels, *self.entry.values]

    @property
    def chart(self) -> Markup:
        return bar_chart(self.entry, self.rows)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Entry]:
    """Every indicator's entry, in the order shown; a test holds it to the INDICATORS registry."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {
        name: Entry(
            name,
            spec["title"],
            " ".join(spec["definition"].split()),
            tuple(spec["labels"]),
            tuple(spec["values"]),
            spec["unit"],
        )
        for name, spec in data.items()
    }


def sections(session: Session, filters: Filters) -> list[Section]:
    return [section(session, filters, name) for name in catalogue()]


def section(session: Session, filters: Filters, name: str) -> Section:
    return Section(catalogue()[name], INDICATORS[name](session, filters))


def label_of(entry: Entry, row: Row) -> str:
    return " · ".join(str(row[column]) for column in entry.labels)


def bar_chart(entry: Entry, rows: list[Row]) -> Markup:
    """Horizontal bars, one group per row, one bar per value column; a hidden cell is written "<5", not drawn."""
    numbers = [float(n) for row in rows for c in entry.values if isinstance(n := row[c], (int, float))]
    top = max([*numbers, 1.0])
    group = len(entry.values) * BAR_HEIGHT + GAP
    legend = 20 if len(entry.values) > 1 else 0
    height = legend + max(1, len(rows)) * group
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="img" aria-label="{escape(entry.title)}" class="chart">',
        f"<title>{escape(entry.title)}</title>",
    ]
    for index, column in enumerate(entry.values if legend else ()):
        x = LABEL_WIDTH + index * 200
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[index % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 16}" y="14" font-size="12">{escape(column)}</text>')
    if not rows:
        parts.append(f'<text x="0" y="{legend + 14}" font-size="12">—</text>')
    for position, row in enumerate(rows):
        y = legend + position * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 4}" font-size="12" text-anchor="end">'
            f"{escape(label_of(entry, row))}</text>"
        )
        for index, column in enumerate(entry.values):
            parts.append(_bar(row[column], y + index * BAR_HEIGHT, scale, COLOURS[index % len(COLOURS)]))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(value, y: int, scale: float, colour: str) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        shown = HIDDEN if value == HIDDEN else "—"
        return f'<text x="{LABEL_WIDTH + 4}" y="{y + BAR_HEIGHT - 4}" font-size="12" fill="#556">{shown}</text>'
    width = max(1.0, float(value) * scale)
    return (
        f'<rect x="{LABEL_WIDTH}" y="{y + 1}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" fill="{colour}"/>'
        f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR_HEIGHT - 4}" font-size="12">{value}</text>'
    )


def csv_of(section: Section) -> str:
    """The section's table as CSV, cells as shown ("<5" stays "<5")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(section.columns)
    for row in section.rows:
        writer.writerow(["" if row[c] is None else row[c] for c in section.columns])
    return out.getvalue()


def csv_of_all(all_sections: list[Section], filters: Filters) -> str:
    """Every indicator in one long CSV, one line per cell: indicators have different columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "start", "end", "channel", "column", "row", "value"])
    for section in all_sections:
        for number, row in enumerate(section.rows, start=1):
            for column in section.columns:
                value = row[column]
                writer.writerow(
                    [
                        section.entry.name,
                        filters.start.isoformat(),
                        filters.end.isoformat(),
                        filters.channel or "all",
                        column,
                        number,
                        "" if value is None else value,
                    ]
                )
    return out.getvalue()
