"""How long a saved content edit takes to go live, and what one reload costs.

    .venv/bin/python scripts/benchmark_reload.py

Works on a copy of content/, with the same LiveContent the bot service uses.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import LiveContent, load_templates  # noqa: E402


def main() -> None:
    loads = []
    for _ in range(10):
        started = time.perf_counter()
        load_templates(ROOT / "content")
        loads.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(ROOT / "content", content)
        live = LiveContent(content)
        path = content / "messages" / "general.yml"
        original = path.read_text(encoding="utf-8")
        waits = []
        for attempt in range(5):
            marker = f"Tạm biệt lần {attempt} 👋"
            path.write_text(original.replace("Tạm biệt bạn 👋", marker), encoding="utf-8")
            saved = time.perf_counter()
            while marker not in live.templates.render("utter_goodbye", "webchat", {}, {})["text"]:
                time.sleep(0.02)
            waits.append(time.perf_counter() - saved)
    print(f"one full reload and check of content/: median {statistics.median(loads) * 1000:.0f} ms (10 runs)")
    print(f"saved edit to live reply: median {statistics.median(waits):.2f} s, max {max(waits):.2f} s (5 edits)")


if __name__ == "__main__":
    main()
