"""Paths and helpers the test modules import.

Kept out of the conftest files: pytest loads every conftest.py as a module
named `conftest`, so `from conftest import ...` gets whichever one was loaded
last (it broke collection on a fresh clone).
"""

import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
