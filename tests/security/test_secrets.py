"""In production a process that lacks one of its secrets stops and names it; locally each is made once."""

import os
import subprocess
import sys
import threading

import pytest
from support import ROOT

from contract.secrets import PROCESS_SECRETS, SECRET_PURPOSES

COMMANDS = {
    "bot": [sys.executable, "-m", "bot", "serve", "--port", "1"],
    "actions": [sys.executable, "-m", "actions.server", "--port", "1"],
    "rasa": [sys.executable, "-m", "tracker.launch", "--port", "1"],
}


def production_environment(**more):
    clean = {k: v for k, v in os.environ.items() if k not in SECRET_PURPOSES}
    return {**clean, "PYTHONPATH": str(ROOT), "APP_ENV": "production", **more}


@pytest.mark.slow
@pytest.mark.parametrize("process", COMMANDS)
def test_a_production_process_without_its_secrets_stops_and_names_them(process):
    result = subprocess.run(
        COMMANDS[process], env=production_environment(), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode != 0
    for name in PROCESS_SECRETS[process]:
        assert name in result.stderr
    # Only its own: the action server is never asked for the console's secret.
    for name in set(SECRET_PURPOSES) - set(PROCESS_SECRETS[process]):
        assert name not in result.stderr


@pytest.mark.slow
def test_a_platform_token_alone_means_production():
    result = subprocess.run(
        COMMANDS["actions"],
        env={**production_environment(TELEGRAM_BOT_TOKEN="1:x"), "APP_ENV": ""},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0 and "ACTION_SERVER_TOKEN" in result.stderr


def test_the_action_server_and_rasa_never_hold_the_console_secret():
    assert "CONSOLE_SESSION_SECRET" not in PROCESS_SECRETS["actions"] + PROCESS_SECRETS["rasa"]
    assert "RASA_JWT_SECRET" not in PROCESS_SECRETS["actions"]


def test_processes_making_a_local_secret_together_all_read_the_one_value(tmp_path, monkeypatch):
    """On a fresh checkout the processes (or test workers) start together: none may read a half-written
    file or keep a value another one overwrote."""
    from concurrent.futures import ThreadPoolExecutor

    from contract import secrets as registry

    together = threading.Barrier(16)

    def make(_):
        together.wait()
        return registry._local_secret("SERVICE_TOKEN")

    for checkout in range(10):  # a race: run it often enough to lose it
        monkeypatch.setattr(registry, "VAR", tmp_path / str(checkout) / "var")
        with ThreadPoolExecutor(16) as pool:
            values = set(pool.map(make, range(16)))
        folder = tmp_path / str(checkout) / "var" / "secrets"
        assert len(values) == 1 and len(values.pop()) == 64
        assert [p.name for p in folder.iterdir()] == ["SERVICE_TOKEN"]  # no draft left behind
        assert (folder / "SERVICE_TOKEN").stat().st_mode & 0o777 == 0o600
