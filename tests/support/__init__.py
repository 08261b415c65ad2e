"""Everything tests share, and the only test code anything imports (`from support.chat import say`).

Test modules (`test_*.py`) import no other test module, and scripts/ imports
nothing from tests/ (the benchmarks built on these helpers live in
tests/benchmarks/). pytest.ini puts only the root and tests/ on the path.
Kept out of the conftest files: pytest loads every conftest.py as a module
named `conftest`, so `from conftest import ...` gets whichever one was loaded
last (it broke collection on a fresh clone).

- this module: paths, free_port
- chat: the running assistant as a user and as staff, and its database rows
- browser: headless Chromium for the browser tests
- console: the bot service app in the test process with console accounts (no Rasa)
- commands: `python -m bot ...` inside the test process
- conversation_scripts: reading and checking tests/conversations/*.yml
- fakes, webhooks: fake Zalo, Telegram and Messenger APIs, and signed webhooks to the connectors
- image_server, screenshots: what the OCR and image-source tests feed the checker
- servers, staff_webhook: PostgreSQL and Redis for one test, a staff webhook receiver
"""

import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
