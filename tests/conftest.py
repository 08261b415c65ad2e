import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import MODEL, ROOT, VENV_BIN, free_port

from contract.identity import forget_app_secret_key  # standard library only: no SQLAlchemy yet

# SQLAlchemy 1.4 reads SQLALCHEMY_WARN_20 once, when it is first imported: set before any test
# imports it, every use that SQLAlchemy 2.0 removes warns (the processes the slow tests start
# inherit it; Python's default filters keep their DeprecationWarnings quiet).
assert "sqlalchemy" not in sys.modules, "SQLAlchemy was imported before SQLALCHEMY_WARN_20 was set"
os.environ["SQLALCHEMY_WARN_20"] = "1"

# SQLAlchemy's deprecation warnings are errors in our code. Added here rather than in
# pytest.ini: a filter naming an SQLAlchemy class there makes pytest import SQLAlchemy while
# reading its configuration, before this file runs. Later lines win; Rasa's own SQLAlchemy use
# (its tracker store, which tracker/ subclasses) is not ours to fix.
SQLALCHEMY_WARNING_FILTERS = (
    "error::sqlalchemy.exc.SADeprecationWarning",
    "ignore::sqlalchemy.exc.SADeprecationWarning:rasa",
)


def pytest_configure(config):
    for line in SQLALCHEMY_WARNING_FILTERS:
        config.addinivalue_line("filterwarnings", line)


def pytest_collection_modifyitems(items):
    """A test that needs the trained model loads Rasa or starts the real processes: it is `slow`,
    and `make test-fast` (the inner loop) leaves it out. Found from the fixtures, so no test
    can forget its marker; any other test that starts a Python process is marked by hand, and
    `fast_tests_start_no_python` fails it when it is not."""
    for item in items:
        if "trained_model" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def fresh_app_secret_key():
    """The connectors read APP_SECRET_KEY once per process; each test reads the one it sets."""
    forget_app_secret_key()
    yield
    forget_app_secret_key()


@pytest.fixture(autouse=True)
def fast_tests_start_no_python(request, monkeypatch):
    """Outside `slow`, starting Python (`python -m bot`, Rasa, a server) fails the test: each
    start spends seconds on imports, and the inner loop must stay under a minute. Tools such as
    Tesseract are fine. A command's own test can run it in-process (support.commands)."""
    if request.node.get_closest_marker("slow"):
        return

    class NoPython(subprocess.Popen):
        def __init__(self, args, *more, **options):
            program = Path(args[0] if isinstance(args, (list, tuple)) else str(args).split()[0])
            if program == Path(sys.executable) or program.parent == VENV_BIN:
                raise AssertionError(f"a test outside `slow` started {program.name}: mark it @pytest.mark.slow")
            super().__init__(args, *more, **options)

    monkeypatch.setattr(subprocess, "Popen", NoPython)


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """Console tests log in hundreds of times; at argon2's production cost that is most of their
    time. Which password gets in is what they check, not how costly the hash is."""
    if "bot.console.accounts" not in sys.modules:
        return
    from argon2 import PasswordHasher

    accounts = sys.modules["bot.console.accounts"]
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap.hash("not a real password"))


@pytest.fixture
def content_copy(tmp_path):
    """A copy of content/ a test may edit as campaign staff would."""
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


@pytest.fixture(scope="session")
def trained_model() -> Path:
    assert MODEL.exists(), "no trained model: run the tests with `make test`, which trains first"
    return MODEL


# --- one running assistant for all integration and browser tests --------------------


@pytest.fixture(scope="session")
def staff_webhook():
    from support.staff_webhook import StaffWebhook

    webhook = StaffWebhook()
    yield webhook
    webhook.server.shutdown()


@pytest.fixture(scope="session")
def assistant(trained_model, tmp_path_factory, staff_webhook):
    from support.chat import SECRET
    from support.staff_webhook import STAFF_WEBHOOK_SECRET

    from bot.localrun import LocalAssistant, Ports

    data = tmp_path_factory.mktemp("e2e")
    content = data / "content"
    shutil.copytree(ROOT / "content", content)
    running = LocalAssistant(
        trained_model,
        ports=Ports(rasa=free_port(), actions=free_port(), bot=free_port()),
        data_dir=data,
        extra_env={
            "CONTENT_DIR": str(content),
            "APP_SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{data / 'app.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{data / 'tracker.db'}",
            "STAFF_WEBHOOK_URL": staff_webhook.url,
            "STAFF_WEBHOOK_SECRET": STAFF_WEBHOOK_SECRET,
            # As behind a reverse proxy: each test browser sends its own address (chat.browser),
            # so the per-address limits count each like a separate person.
            "TRUSTED_PROXIES": "127.0.0.1",
        },
        log_dir=ROOT / "results" / "e2e-logs",
    )
    with running:
        running.content = content
        running.data = data
        yield running


@pytest.fixture(scope="session")
def campaign_assistant(trained_model, tmp_path_factory):
    """An assistant of its own on which tests/support/campaign.py's conversations have run (exact counts)."""
    from support.campaign import run_campaign
    from support.chat import SECRET

    from bot.localrun import LocalAssistant, Ports

    data = tmp_path_factory.mktemp("campaign")
    shutil.copytree(ROOT / "content", data / "content")
    running = LocalAssistant(
        trained_model,
        ports=Ports(rasa=free_port(), actions=free_port(), bot=free_port()),
        data_dir=data,
        extra_env={
            "CONTENT_DIR": str(data / "content"),
            "APP_SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{data / 'app.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{data / 'tracker.db'}",
            "TRUSTED_PROXIES": "127.0.0.1",
        },
        log_dir=ROOT / "results" / "campaign-logs",
    )
    with running:
        running.content = data / "content"
        running.data = data
        running.campaign = run_campaign(running)
        yield running
