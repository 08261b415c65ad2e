"""The exchange format (docs/known-scams.md): UTF-8 CSV, one entry a row, a header row.

An import is all or nothing, like `content check` for content: every row is
read and checked first, every bad row is named by its line, and nothing is
stored unless every row is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from bot.content.schema import Problem  # the same file:line form as content check
from bot.knownscams.store import Candidate, KnownScamEntry, KnownScamError, Protected, candidate

COLUMNS = ("kind", "value", "source", "checked", "note")
REQUIRED = ("kind", "value", "source", "checked")


def read_rows(path: Path, protected: Protected) -> tuple[list[Candidate], list[Problem]]:
    """The file's entries, and a problem for every line that cannot be one (then import none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(path, 1, f"cannot read the file as UTF-8 text: {error}")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        return [], [Problem(path, 1, f"the header row lacks {', '.join(missing)} (columns: {', '.join(COLUMNS)})")]
    entries: list[Candidate] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(Problem(path, line, f"more cells than the {len(reader.fieldnames or [])} columns"))
            continue
        try:
            entry = candidate(
                row["kind"], row["value"], row["source"], row["checked"], protected, row.get("note") or ""
            )
        except KnownScamError as error:
            problems.append(Problem(path, line, str(error)))
            continue
        key = (entry.kind, entry.value)
        if key in seen:
            problems.append(Problem(path, line, f"the same {entry.kind} as line {seen[key]}"))
            continue
        seen[key] = line
        entries.append(entry)
    return entries, problems


def write_rows(entries: Iterable[KnownScamEntry], out) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow([entry.kind, entry.display, entry.source, entry.checked.isoformat(), entry.note or ""])
        count += 1
    return count
