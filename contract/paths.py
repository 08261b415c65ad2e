"""Where a local deployment keeps its files: the repository, and var/ for databases and secrets."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
