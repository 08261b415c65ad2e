"""Debian's Chromium driven by Playwright, as the browser tests start it."""

from collections.abc import Iterator

from playwright.sync_api import Browser, Page, sync_playwright

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


def csp_violations(*pages: Page) -> list[str]:
    """A list that fills with every Content Security Policy violation these pages report (the test asserts it empty)."""
    blocked: list[str] = []
    for page in pages:
        page.on(
            "console",
            lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
        )
    return blocked


def log_in(page: Page, console: str, name: str, password: str = PASSWORD) -> None:
    """Fill and send the console's login form (`console` is its address, ending in /staff)."""
    page.goto(f"{console}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("#login")
