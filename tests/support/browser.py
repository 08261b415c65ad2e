"""Debian's Chromium driven by Playwright, as the browser tests start it."""

from collections.abc import Iterator

from playwright.sync_api import Browser, sync_playwright

from support import ROOT

CHROMIUM = "/usr/bin/chromium"
# No sandbox as root, and nothing that reaches for Google's hosts (this machine has no network).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "results" / "screenshots"
PASSWORD = "browser test password"


def headless_chromium() -> Iterator[Browser]:
    """One headless Chromium for a module's tests (a fixture body: `yield from headless_chromium()`)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
