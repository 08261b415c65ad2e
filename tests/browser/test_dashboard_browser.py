"""Campaign staff read the dashboard in real Chromium (Debian's), after known conversations ran through the stack.

tests/support/campaign.py runs the conversations; screenshots of the
dashboard land in results/screenshots/.
"""

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from support.browser import PASSWORD, SCREENSHOTS, csp_violations, headless_chromium, log_in
from support.campaign import PEOPLE
from support.chat import add_staff

from bot.store import utcnow


@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium()


def cells(page, indicator):
    return page.locator(f"#{indicator} tbody tr").all_inner_texts()


def test_campaign_staff_read_the_figures_change_the_range_and_download_the_csv(campaign_assistant, browser):
    assistant = campaign_assistant
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert add_staff(assistant, "mai", role="campaign", password=PASSWORD).returncode == 0
    console = f"http://127.0.0.1:{assistant.ports.bot}/staff"
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    blocked = csp_violations(page)

    log_in(page, console, "mai")
    expect(page).to_have_url(f"{console}/reports")  # campaign staff start at the reports to review
    page.click("text=Số liệu chiến dịch")
    expect(page).to_have_url(f"{console}/analytics")
    today = utcnow().date()
    page.fill("input[name=start]", today.isoformat())
    page.fill("input[name=end]", today.isoformat())
    page.click("#apply")
    expect(page.locator("#offers_by_verdict tbody")).to_contain_text("high")
    assert cells(page, "offers_by_verdict") == [f"high\t{PEOPLE}\t{PEOPLE}"]
    assert cells(page, "handoffs_by_reason") == ["danger\t<5\t<5"]
    expect(page.locator("#offers_by_verdict svg rect")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "dashboard_campaign.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#offers_by_verdict a.csv").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows == [["verdict", "count", "people"], ["high", str(PEOPLE), str(PEOPLE)]]

    before = (today - timedelta(days=40)).isoformat()
    page.fill("input[name=start]", before)
    page.fill("input[name=end]", (today - timedelta(days=10)).isoformat())
    page.click("#apply")
    expect(page.locator("#offers_by_verdict tbody")).to_contain_text("Chưa có số liệu")
    page.screenshot(path=str(SCREENSHOTS / "dashboard_earlier_range.png"), full_page=True)

    # A campaign account reads figures, not cases.
    page.goto(f"{console}/")
    expect(page.locator(".error")).to_contain_text("không mở được")
    page.goto(f"{console}/cases/1")
    expect(page.locator(".error")).to_contain_text("không mở được")
    assert not blocked, blocked
    context.close()


def test_a_hotline_account_cannot_open_the_dashboard(campaign_assistant, browser):
    assert add_staff(campaign_assistant, "vy", password=PASSWORD).returncode == 0
    console = f"http://127.0.0.1:{campaign_assistant.ports.bot}/staff"
    context = browser.new_context()
    page = context.new_page()
    log_in(page, console, "vy")
    expect(page).to_have_url(f"{console}/")
    expect(page.locator("header")).not_to_contain_text("Số liệu chiến dịch")
    response = page.goto(f"{console}/analytics")
    assert response.status == 403
    expect(page.locator(".error")).to_contain_text("không mở được")
    page.screenshot(path=str(SCREENSHOTS / "dashboard_refused_to_hotline.png"))
    context.close()
