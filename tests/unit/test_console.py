"""The staff console's defences, against the bot service app with a real database and no Rasa."""

import re

import pytest
from support.console import PASSWORD, console_client

from bot.handoff import cases
from bot.handoff.console_queries import case_with_transcript


@pytest.fixture
def console(tmp_path):
    return console_client(tmp_path, {"lan": "hotline", "minh": "admin"})


def csrf(client, path="/staff/login"):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def log_in(client, name, password=PASSWORD):
    return client.post("/staff/login", data={"csrf": csrf(client), "name": name, "password": password})


def test_right_password_logs_in_and_wrong_one_does_not(console):
    assert log_in(console, "lan", "wrong password!").status_code == 401
    assert console.get("/staff/").status_code == 303  # still logged out
    assert log_in(console, "lan").status_code == 303
    assert console.get("/staff/").status_code == 200


def test_unknown_name_gets_the_same_answer_as_a_wrong_password(console):
    assert log_in(console, "nobody", PASSWORD).status_code == 401


def test_login_is_slowed_after_failed_attempts(console):
    for _ in range(3):
        assert log_in(console, "lan", "guess guess guess").status_code == 401
    refused = log_in(console, "lan")  # even the right password, for a moment
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "Hãy chờ 1 giây rồi thử lại" in refused.text


def test_forms_without_the_csrf_token_are_refused(console):
    log_in(console, "lan")
    case = cases.open_case(console.db, "k" * 32, "conversation-1", "zalo", "danger", "/affirm", [])
    assert console.post(f"/staff/cases/{case.id}/claim", data={}).status_code == 403
    assert console.post(f"/staff/cases/{case.id}/claim", data={"csrf": "forged"}).status_code == 403
    assert case_with_transcript(console.db, case.id).status == "new"
    assert console.post(f"/staff/cases/{case.id}/claim", data={"csrf": csrf(console, "/staff/")}).status_code == 303
    assert case_with_transcript(console.db, case.id).status == "claimed"


def test_login_form_needs_its_csrf_token_too(console):
    console.get("/staff/login")
    response = console.post("/staff/login", data={"name": "lan", "password": PASSWORD})
    assert response.status_code == 403


def test_what_a_user_types_is_shown_as_text_never_run(console):
    log_in(console, "lan")
    case = cases.open_case(console.db, "k" * 32, "platform-id-123", "telegram", "request", "/affirm", [])
    cases.record_user_message(console.db, case.id, '<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = console.get(f"/staff/cases/{case.id}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "platform-id-123" not in page  # staff see the pseudonymous reference only
    assert case.reference in page


def test_hotline_account_cannot_reach_admin_pages(console):
    log_in(console, "lan")
    assert console.get("/staff/admin/audit").status_code == 403
    assert console.get("/staff/admin/accounts").status_code == 403


def test_admin_sees_the_audit_log_of_staff_actions(console):
    log_in(console, "minh")
    case = cases.open_case(console.db, "k" * 32, "c-2", "zalo", "danger", "/affirm", [])
    console.post(f"/staff/cases/{case.id}/note", data={"csrf": csrf(console, "/staff/"), "text": "gọi lại lúc 9h"})
    audit = console.get("/staff/admin/audit").text
    assert "login" in audit and "note" in audit and f"#{case.id}" in audit
    assert "gọi lại lúc 9h" not in audit  # the log says what was done, not what was written


def test_a_case_claimed_by_someone_else_cannot_be_answered(console):
    lan = cases_staff(console, "lan")
    case = cases.open_case(console.db, "k" * 32, "c-3", "zalo", "danger", "/affirm", [])
    cases.claim(console.db, case.id, lan)
    log_in(console, "minh")
    response = console.post(
        f"/staff/cases/{case.id}/reply", data={"csrf": csrf(console, "/staff/"), "text": "xin chào"}
    )
    assert "error=claimed" in response.headers["location"]
    assert [m.author for m in case_with_transcript(console.db, case.id).messages] == ["user"]


def test_closed_cases_are_found_by_number_and_outcome(console):
    lan = cases_staff(console, "lan")
    case = cases.open_case(console.db, "k" * 32, "c-4", "zalo", "danger", "/affirm", [])
    cases.close(console.db, case.id, lan, "referred_police")
    log_in(console, "lan")
    link = f'href="/staff/cases/{case.id}"'
    assert link in console.get("/staff/closed", params={"q": f"#{case.id}"}).text
    assert link in console.get("/staff/closed", params={"q": "referred_police"}).text
    assert link not in console.get("/staff/closed", params={"q": "no_response"}).text


def test_session_cookie_is_signed_http_only_and_same_site(console):
    response = log_in(console, "lan")
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    signed = console.cookies["staff_session"]
    assert console.get("/staff/").status_code == 200
    console.cookies.clear()
    tampered = ("B" if signed[0] == "A" else "A") + signed[1:]  # one character changed: the signature no longer fits
    console.cookies.set("staff_session", tampered)
    assert console.get("/staff/").status_code == 303


def cases_staff(console, name):
    from bot.console.accounts import check_password

    return check_password(console.db, name, PASSWORD)


def test_staff_are_warned_when_the_user_said_it_is_not_safe_to_write(console):
    log_in(console, "lan")
    case = cases.open_case(console.db, "u" * 32, "zalo:1", "zalo", "danger", "✅ Có, kết nối", [])
    cases.question_asked(console.db, case.id)
    cases.record_user_message(console.db, case.id, "an toàn", answer_to="safe_to_talk")
    assert 'id="unsafe"' not in console.get(f"/staff/cases/{case.id}").text
    cases.record_user_message(console.db, case.id, "ko an toan", answer_to="safe_to_talk")
    assert 'id="unsafe"' in console.get(f"/staff/cases/{case.id}").text
