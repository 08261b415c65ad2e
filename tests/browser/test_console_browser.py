"""A hotline worker takes a case in real Chromium (Debian's) while a user writes in the local web chat;
campaign staff confirm an offer a web chat user reported.

Two pages of one browser: the user's web chat and the staff member's console.
Screenshots of the inbox, the case page, the reports queue, a report and the web chat land in results/screenshots/.
"""

import pytest
from playwright.sync_api import expect
from support.browser import PASSWORD, SCREENSHOTS, csp_violations, headless_chromium, log_in
from support.chat import add_staff, case_of, wait_for


@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium()


def user_types(chat, text):
    chat.fill("#text", text)
    chat.press("#text", "Enter")


def test_hotline_worker_takes_a_case_end_to_end_in_the_browser(assistant, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    chat = browser.new_context().new_page()  # the user: another context, so another web chat sender
    # The Content-Security-Policy forbids inline script (and, on the console, inline style): anything it blocks
    # is reported here, on either page.
    blocked = csp_violations(page, chat)
    chat.set_viewport_size({"width": 400, "height": 800})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert add_staff(assistant, "hoa", password=PASSWORD).returncode == 0
    console = f"http://127.0.0.1:{assistant.ports.bot}/staff"

    log_in(page, console, "hoa", password="not the password")
    expect(page.locator("#login-error")).to_be_visible()
    log_in(page, console, "hoa")
    expect(page).to_have_url(f"{console}/")
    # The style sheet (a file, allowed by the policy) applied.
    assert page.eval_on_selector("header", "h => getComputedStyle(h).backgroundColor") == "rgb(29, 53, 87)"

    # The user asks for help in the web chat after the inbox is open: the case must appear without a reload.
    chat.goto(f"http://127.0.0.1:{assistant.ports.bot}/")
    expect(chat.locator("#log .msg.bot").first).to_be_visible()
    user_types(chat, "cứu em với, em bị giữ ở myanmar")
    chat.get_by_role("button", name="✅ Có, kết nối").click()
    expect(chat.locator("#log")).to_contain_text("mã yêu cầu")
    user_types(chat, "<img src=x onerror=\"document.title='pwned'\">")
    # The page never sees its own id (an HttpOnly cookie); the test reads it from the browser's cookie jar.
    sender = next(c["value"] for c in chat.context.cookies() if c["name"] == "webchat_id")
    assert chat.evaluate("document.cookie") == "" and chat.evaluate("localStorage.length") == 0
    number = wait_for(lambda: case_of(assistant, sender))[0]
    row = page.locator(f'tr[data-case="{number}"]')
    expect(row).to_be_visible(timeout=15_000)
    expect(row).to_contain_text("Nguy hiểm")
    page.screenshot(path=str(SCREENSHOTS / "console-inbox.png"), full_page=True)

    row.locator("a").click()
    expect(page.locator("#status")).to_have_text("Mới")
    # What the user typed is shown as text, and did not run.
    expect(page.locator("#transcript")).to_contain_text("<img src=x onerror=")
    assert page.title() != "pwned"

    page.click("#claim")
    expect(page.locator("#status")).to_have_text("Đã nhận")
    page.fill("#reply-text", "Chào em, chị là cán bộ đường dây nóng. Em có đang an toàn không?")
    page.click("#send-reply")
    expect(page.locator("#transcript")).to_contain_text("Em có đang an toàn không?")
    # The reply reaches the user's web chat by itself.
    expect(chat.locator("#log")).to_contain_text("Em có đang an toàn không?", timeout=10_000)
    assert chat.title() != "pwned"

    user_types(chat, "dạ em đang trốn trong nhà vệ sinh")
    expect(page.locator("#transcript")).to_contain_text("đang trốn trong nhà vệ sinh", timeout=10_000)
    page.screenshot(path=str(SCREENSHOTS / "console-case.png"), full_page=True)

    page.select_option("#outcome", "referred_citizen_protection")
    page.click("#close")
    expect(page.locator("#status")).to_have_text("Đã đóng")
    assert case_of(assistant, sender)[1] == "closed"
    expect(chat.locator("#log")).to_contain_text("Cán bộ đã kết thúc", timeout=10_000)
    chat.screenshot(path=str(SCREENSHOTS / "webchat-handoff.png"), full_page=True)
    assert blocked == []


REPORTED_OFFER = (
    "Tuyển gấp 3 bạn làm CSKH online tại Bavet, lương 1.200 USD, bao vé xe, nộp cọc 2 triệu giữ chỗ. "
    "Đăng ký tại https://lazada-tuyendung.top/form, liên hệ Telegram @bavet_cskh_tuyen"
)


def test_campaign_staff_confirm_a_reported_offer_and_the_reporter_is_told_in_the_browser(assistant, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    chat = browser.new_context().new_page()
    blocked = csp_violations(page, chat)
    chat.set_viewport_size({"width": 400, "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert add_staff(assistant, "thu", role="campaign", password=PASSWORD).returncode == 0
    console = f"http://127.0.0.1:{assistant.ports.bot}/staff"

    chat.goto(f"http://127.0.0.1:{assistant.ports.bot}/")
    expect(chat.locator("#log .msg.bot").first).to_be_visible()
    user_types(chat, REPORTED_OFFER)
    chat.get_by_role("button", name="📣 Báo tin này").first.click()
    expect(chat.locator("#log")).to_contain_text("không gửi tên hay tài khoản của bạn")
    chat.get_by_role("button", name="Gửi, báo lại mình").click()
    expect(chat.locator("#log")).to_contain_text("Đã gửi tin này cho cán bộ")

    log_in(page, console, "thu")
    expect(page).to_have_url(f"{console}/reports")
    row = page.locator("#queue tbody tr").filter(has_text="Bavet")
    expect(row).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "console-reports.png"), full_page=True)

    row.locator("a").click()
    expect(page.locator(".offer")).to_contain_text("lazada-tuyendung.top")
    expect(page.locator("#confirm")).to_contain_text("@bavet_cskh_tuyen")
    page.screenshot(path=str(SCREENSHOTS / "console-report.png"), full_page=True)
    page.get_by_role("button", name="Xác nhận lừa đảo").click()
    expect(page.locator("main")).to_contain_text("Đã xác nhận")
    page.screenshot(path=str(SCREENSHOTS / "console-report-confirmed.png"), full_page=True)

    expect(chat.locator("#log")).to_contain_text("đã được cán bộ chiến dịch xác nhận", timeout=20_000)
    chat.screenshot(path=str(SCREENSHOTS / "webchat-report-confirmed.png"), full_page=True)
    assert blocked == []
