"""The console against an attacker: guessing, proxies, audit of every read, dead accounts, headers, a busy event loop.

The bot service app with a real database and no Rasa; the login throttle's clock is a fake one the tests move.
"""

import asyncio
import io
import re
import time

import httpx
import pytest
from sqlalchemy import select
from starlette.testclient import TestClient
from support.console import console_settings

import bot.console.accounts as accounts
from bot.__main__ import main as command_line
from bot.console.accounts import Backoff, LoginThrottle, add_account
from bot.guards import client_address, trusted_networks
from bot.handoff import cases
from bot.service import create_app
from bot.settings import Settings
from bot.store import AuditEntry, Database

PASSWORD = "a long enough password"
STRANGER, OWNER = ("203.0.113.9", 40000), ("198.51.100.7", 40000)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr("bot.console.app.LoginThrottle", lambda: LoginThrottle(clock=fake))
    return fake


@pytest.fixture
def app(tmp_path, clock):
    settings = console_settings(tmp_path)
    db = Database(settings.database_url)
    add_account(db, "lan", "hotline", PASSWORD)
    application = create_app(settings)
    application.db = db
    return application


def browser(app, address=("testclient", 50000), **options):
    return TestClient(app, follow_redirects=False, client=address, **options)


def csrf(client, path="/staff/login"):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def log_in(client, name="lan", password=PASSWORD, **headers):
    return client.post("/staff/login", data={"csrf": csrf(client), "name": name, "password": password}, headers=headers)


def audit_rows(db):
    with db.session() as session:
        return session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()


# --- guessing --------------------------------------------------------------------------


def test_a_strangers_guesses_do_not_lock_the_owner_out(app, clock):
    stranger, owner = browser(app, STRANGER), browser(app, OWNER)

    def stranger_guesses(password):
        """One wrong password, as soon as the console takes it; the wait it had to sit out first."""
        waited = 0
        while (answer := log_in(stranger, password=password)).status_code == 429:
            waited += int(answer.headers["retry-after"])
            clock.now += int(answer.headers["retry-after"])
        assert answer.status_code == 401
        return waited

    # The stranger guesses as fast as the console lets them, for an hour.
    guesses = 0
    while clock.now < 1000 + 3600:
        last_wait = stranger_guesses(f"guess number {guesses}")
        guesses += 1
    assert guesses < 30 and last_wait == 15 * 60  # their address now waits 15 minutes a guess
    # Right after the stranger's latest guess, the owner (another address) waits at most half a minute...
    stranger_guesses("one more guess")
    first_try = log_in(owner)
    assert first_try.status_code == 429 and int(first_try.headers["retry-after"]) <= 30
    clock.now += int(first_try.headers["retry-after"])
    # ...then gets in with the right password, while the stranger is still held back.
    assert log_in(owner).status_code == 303
    assert owner.get("/staff/").status_code == 200
    assert int(log_in(stranger).headers["retry-after"]) > 60


def test_a_browser_the_owner_used_before_skips_the_names_wait(app, clock):
    owner = browser(app, OWNER)
    assert log_in(owner).status_code == 303  # this browser now carries the name's device cookie
    owner.post("/staff/logout", data={"csrf": csrf(owner, "/staff/")})
    # A stranger with many addresses takes every free moment of the name: it is always waiting.
    for i in range(12):  # enough for the name's wait to reach its 30-second cap
        stranger = browser(app, (f"203.0.113.{i}", 40000))
        answer = log_in(stranger, password=f"guess {i}")
        if answer.status_code == 429:
            clock.now += int(answer.headers["retry-after"])
            answer = log_in(stranger, password=f"guess {i}")
        assert answer.status_code == 401
    assert log_in(browser(app, OWNER)).status_code == 429  # the name waits...
    assert log_in(browser(app, OWNER, cookies={"staff_device": "made-up-token"})).status_code == 429
    assert log_in(owner).status_code == 303  # ...but not for the browser its owner logged in from


def test_a_stolen_device_cookie_is_worth_a_few_guesses_only(app, clock):
    owner = browser(app, OWNER)
    assert log_in(owner).status_code == 303
    owner.post("/staff/logout", data={"csrf": csrf(owner, "/staff/")})
    for i in range(3):  # the name starts waiting
        log_in(browser(app, (f"203.0.113.{i}", 40000)), password=f"guess {i}")
    thief = browser(app, STRANGER, cookies={"staff_device": owner.cookies["staff_device"]})
    assert log_in(thief, password="guess with the cookie").status_code == 401  # the name's wait skipped
    for i in range(4):
        clock.now += 60  # let the thief's address wait out its own delay
        log_in(thief, password=f"guess with the cookie {i}")
    clock.now += 60
    assert log_in(browser(app, ("203.0.113.99", 40000)), password="one more").status_code == 401
    assert log_in(thief, password="and another").status_code == 429  # the cookie no longer skips the name's wait


def test_a_refused_attempt_checks_no_password_and_does_not_lengthen_the_wait(app, clock, monkeypatch):
    client = browser(app, STRANGER)
    for _ in range(3):
        assert log_in(client, password="wrong wrong wrong").status_code == 401
    verified = []
    monkeypatch.setattr("bot.console.app.check_password", lambda *args: verified.append(args))
    for _ in range(5):
        refused = log_in(client)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert verified == []
    monkeypatch.undo()
    clock.now += 1
    assert log_in(client).status_code == 303


def test_the_throttle_table_stays_bounded_and_forgets_old_failures():
    clock = Clock()
    throttle = LoginThrottle(max_keys=100, clock=clock)
    for i in range(5000):  # names and addresses nobody will see again
        throttle.failed(f"name-{i}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    assert len(throttle) <= 100
    throttle = LoginThrottle(name_backoff=Backoff(free=0, first=10, longest=10), clock=clock)
    throttle.failed("lan", "192.0.2.1")
    assert throttle.retry_after("lan", "192.0.2.2") == 10
    clock.now += accounts.FORGET_AFTER + 1
    throttle.failed("other", "192.0.2.3")  # any later failure sweeps the quiet keys
    assert len(throttle) == 2


def test_one_ipv6_subscriber_counts_as_one_address():
    throttle = LoginThrottle(address_backoff=Backoff(free=1, first=60, longest=60), clock=Clock())
    throttle.failed("a", "2001:db8:1:2::1")
    assert throttle.retry_after("b", "2001:db8:1:2:ffff::9") == 60  # same /64
    assert throttle.retry_after("b", "2001:db8:1:3::1") == 0


# --- where a login comes from -------------------------------------------------------------


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy():
    proxies = trusted_networks(["10.0.0.0/8"])
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"  # no proxy configured
    assert client_address("203.0.113.9", "198.51.100.1", proxies) == "203.0.113.9"  # not from our proxy
    assert client_address("10.0.0.2", "198.51.100.1", proxies) == "198.51.100.1"
    # A client's own X-Forwarded-For is left of what our proxies appended: ignored.
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.3", proxies) == "198.51.100.1"
    assert client_address("10.0.0.2", "", proxies) == "10.0.0.2"


def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_address_brake(app, clock):
    client = browser(app, STRANGER)
    answers = [
        log_in(client, name=f"name{i}", password="x" * 12, **{"X-Forwarded-For": f"192.0.2.{i}"}).status_code
        for i in range(8)
    ]
    assert answers[:5] == [401] * 5 and 429 in answers[5:]


def test_behind_a_trusted_proxy_each_client_has_its_own_brake(tmp_path, clock):
    app = create_app(console_settings(tmp_path, trusted_proxies=("10.0.0.0/8",)))
    add_account(Database(console_settings(tmp_path).database_url), "lan", "hotline", PASSWORD)
    proxy = browser(app, ("10.0.0.2", 40000))
    for i in range(8):  # one client behind the proxy guesses many names
        log_in(proxy, name=f"name{i}", password="x" * 12, **{"X-Forwarded-For": "203.0.113.9"})
    assert log_in(proxy, name="other", **{"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    # Another client behind the same proxy is not held back by that one.
    assert log_in(proxy, **{"X-Forwarded-For": "198.51.100.7"}).status_code == 303


# --- audit -------------------------------------------------------------------------------


def test_failed_logins_are_audited_without_the_password(app, clock):
    client = browser(app, STRANGER)
    log_in(client, password="wrong password 1")
    log_in(client, name="hunter2-typed-in-the-name-field", password="wrong password 2")
    failed = [e for e in audit_rows(app.db) if e.action == "login_failed"]
    assert [(e.staff_name, e.detail) for e in failed] == [
        ("lan", "from 203.0.113.9"),
        ("?", "unknown name, from 203.0.113.9"),
    ]
    everything = " ".join(f"{e.staff_name} {e.detail}" for e in audit_rows(app.db))
    assert "wrong password" not in everything and "hunter2" not in everything


def test_every_transcript_read_is_audited_page_and_api(app, clock):
    client = browser(app)
    log_in(client)
    case = cases.open_case(app.db, "k" * 32, "telegram:1", "telegram", "danger", "/affirm", [])
    cases.record_user_message(app.db, case.id, "em đang ở Myawaddy")

    def reads():
        return [
            (e.staff_name, e.action, e.case_id) for e in audit_rows(app.db) if e.action in ("view", "fetch_messages")
        ]

    assert client.get(f"/staff/cases/{case.id}").status_code == 200
    assert reads() == [("lan", "view", case.id)]
    data = client.get(f"/staff/api/cases/{case.id}", params={"after": 0}).json()
    assert [m["text"] for m in data["messages"]][-1] == "em đang ở Myawaddy"
    assert reads() == [("lan", "view", case.id), ("lan", "fetch_messages", case.id)]
    # The page's 2-second poll with nothing new returns no text, and writes nothing.
    client.get(f"/staff/api/cases/{case.id}", params={"after": data["messages"][-1]["id"]})
    assert len(reads()) == 2
    assert all("Myawaddy" not in e.detail for e in audit_rows(app.db))


# --- accounts from the command line --------------------------------------------------------


@pytest.fixture
def staff_command(app, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("APP_SECRET_KEY", "console-test-secret")

    def run(*argv, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return command_line(["staff", *argv])

    return run


def test_a_deactivated_account_is_refused_and_its_session_ends(app, clock, staff_command):
    client = browser(app)
    assert log_in(client).status_code == 303
    assert client.get("/staff/").status_code == 200
    assert staff_command("deactivate", "lan") == 0
    assert client.get("/staff/").status_code == 303  # the open session ends at its next request
    assert client.get("/staff/api/inbox").status_code == 303
    assert log_in(client).status_code == 401
    assert staff_command("deactivate", "nobody") == 1
    assert ("lan", "deactivated") in [(e.staff_name, e.action) for e in audit_rows(app.db)]


def test_a_reset_password_ends_the_sessions_opened_with_the_old_one(app, clock, staff_command):
    client = browser(app)
    assert log_in(client).status_code == 303
    assert staff_command("reset-password", "lan", "--password-stdin", stdin="too short\n") == 1
    assert client.get("/staff/").status_code == 200  # nothing changed
    assert staff_command("reset-password", "lan", "--password-stdin", stdin="a brand new password\n") == 0
    assert client.get("/staff/").status_code == 303
    assert log_in(client).status_code == 401
    assert log_in(client, password="a brand new password").status_code == 303


# --- headers and cookies -------------------------------------------------------------------


def test_every_console_response_carries_the_strict_policy(app, clock):
    client = browser(app)
    log_in(client)
    case = cases.open_case(app.db, "k" * 32, "zalo:1", "zalo", "danger", "/affirm", [])
    for path in [
        "/staff/login",
        "/staff/",
        f"/staff/cases/{case.id}",
        f"/staff/api/cases/{case.id}",
        "/staff/nothing-here",
    ]:
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert headers["cache-control"] == "no-store", path


def test_console_pages_have_no_inline_script_or_style_for_the_policy_to_block(app, clock):
    client = browser(app)
    log_in(client)
    case = cases.open_case(app.db, "k" * 32, "zalo:1", "zalo", "danger", "/affirm", [])
    for path in ["/staff/login", "/staff/", f"/staff/cases/{case.id}", "/staff/closed"]:
        page = client.get(path).text
        assert "<style" not in page and " style=" not in page, path
        for tag in re.findall(r"<script[^>]*>", page):
            assert 'src="/staff/static/' in tag, (path, tag)
        for asset in re.findall(r'(?:src|href)="(/staff/static/[^"]+)"', page):
            assert client.get(asset).status_code == 200, asset


def test_the_rest_of_the_bot_service_cannot_be_framed_or_sniffed(app, clock):
    client = browser(app)
    for path in ["/", "/health"]:
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path


def test_secure_cookies_are_on_by_default_except_on_localhost(monkeypatch):
    monkeypatch.setenv("APP_SECRET_KEY", "x")
    for name in ("CONSOLE_URL", "CONSOLE_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_SERVICE_URL", "http://127.0.0.1:8000")
    assert Settings.from_env().secure_cookies is False
    monkeypatch.setenv("BOT_SERVICE_URL", "http://bot-service:8000")
    assert Settings.from_env().secure_cookies is True
    monkeypatch.setenv("CONSOLE_URL", "http://localhost:8000/staff")
    assert Settings.from_env().secure_cookies is False
    monkeypatch.setenv("CONSOLE_URL", "https://hotline.example.org/staff")
    assert Settings.from_env().secure_cookies is True
    monkeypatch.setenv("CONSOLE_SECURE_COOKIES", "0")
    assert Settings.from_env().secure_cookies is False


def test_a_secure_session_cookie_is_marked_secure(tmp_path, clock):
    app = create_app(console_settings(tmp_path, secure_cookies=True))
    add_account(Database(console_settings(tmp_path).database_url), "lan", "hotline", PASSWORD)
    client = browser(app, base_url="https://testserver")
    assert "secure" in log_in(client).headers["set-cookie"].lower()


# --- a slow password check does not stall everyone else ----------------------------------------


class SlowHasher:
    """argon2 that takes two seconds: the loop must answer others meanwhile."""

    def verify(self, hash_, password):
        time.sleep(2.0)
        return accounts.PasswordHasher().verify(hash_, password)


def test_a_password_check_does_not_block_other_requests(app, monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", SlowHasher())

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            token = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/staff/login")).text).group(1)
            login = asyncio.create_task(
                client.post("/staff/login", data={"csrf": token, "name": "lan", "password": PASSWORD})
            )
            started = time.monotonic()
            # The login is inside its password check by then; a blocked loop would not even wake us.
            await asyncio.sleep(0.2)
            health = await client.get("/health")
            answered_after = time.monotonic() - started
            return (await login).status_code, health.status_code, answered_after

    login_status, health_status, answered_after = asyncio.run(scenario())
    assert login_status == 303 and health_status == 200
    assert answered_after < 1.2, f"another request was answered after {answered_after:.2f} s, behind a password check"
