"""Starting the three processes together, for `make run` and for the tests.

Rasa (5005), the action server (5055) and the bot service (8000) are separate
processes, as in production; this starts them with local settings (SQLite
under var/), waits until each answers, and stops all three on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from contract.paths import ROOT, VAR
from contract.secrets import PROCESS_SECRETS, secret
from migrations import upgrade_url

VENV_BIN = Path(sys.executable).parent
SECRET_NAMES = sorted({name for names in PROCESS_SECRETS.values() for name in names})
STARTUP_TIMEOUT_SECONDS = 300


@dataclass
class Ports:
    rasa: int = 5005
    actions: int = 5055
    bot: int = 8000
    # Further Rasa instances sharing the stores, as behind a load balancer (needs
    # a shared database and LOCK_STORE_URL).
    more_rasa: tuple[int, ...] = ()


@dataclass
class Process:
    name: str
    command: list[str]
    health_url: str
    # Which of PROCESS_SECRETS it is handed: each process holds only the secrets it needs.
    role: str = "bot"
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_after: float | None = None

    @property
    def launched(self) -> subprocess.Popen:
        """The OS process, for what only makes sense once it was launched."""
        if self.popen is None:
            raise RuntimeError(f"{self.name} was never started")
        return self.popen


@dataclass
class LocalAssistant:
    model: Path
    ports: Ports = field(default_factory=Ports)
    data_dir: Path = VAR
    extra_env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    # Another endpoints file, for a benchmark that compares configurations.
    endpoints: Path = ROOT / "endpoints.yml"
    processes: list[Process] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        """Everything the processes share; secrets are added per process (`process_environment`)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
        env.setdefault("DATABASE_URL", f"sqlite:///{self.data_dir / 'app.db'}")
        env.setdefault("TRACKER_STORE_URL", f"sqlite:///{self.data_dir / 'tracker.db'}")
        env.update(
            {
                "ACTION_SERVER_URL": f"http://127.0.0.1:{self.ports.actions}",
                "BOT_SERVICE_URL": f"http://127.0.0.1:{self.ports.bot}",
                "RASA_URL": f"http://127.0.0.1:{self.ports.rasa}",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "PYTHONPATH": str(ROOT),
                "RASA_TELEMETRY_ENABLED": "false",
            }
        )
        env.update({k: v for k, v in self.extra_env.items() if k not in SECRET_NAMES})
        return env

    def secrets(self) -> dict[str, str]:
        """One value per secret for this run: the caller's (extra_env, environment), else the local one."""
        return {name: self.extra_env.get(name) or secret(name) for name in SECRET_NAMES}

    def process_environment(self, role: str, env: dict[str, str]) -> dict[str, str]:
        chosen = self.secrets()
        return {**env, **{name: chosen[name] for name in PROCESS_SECRETS[role]}}

    def _plan(self) -> list[Process]:
        return [
            Process(
                "bot service",
                [sys.executable, "-m", "bot", "serve", "--port", str(self.ports.bot)],
                f"http://127.0.0.1:{self.ports.bot}/health",
                "bot",
            ),
            Process(
                "action server",
                [sys.executable, "-m", "actions.server", "--port", str(self.ports.actions), "--actions", "actions"],
                f"http://127.0.0.1:{self.ports.actions}/health",
                "actions",
            ),
        ] + [
            Process(
                "rasa" if port == self.ports.rasa else f"rasa {port}",
                [
                    # `rasa run` with its API secret out of the command line (tracker/launch.py).
                    sys.executable,
                    "-m",
                    "tracker.launch",
                    "--model",
                    str(self.model),
                    "--port",
                    str(port),
                    "--interface",
                    "127.0.0.1",
                    "--endpoints",
                    str(self.endpoints),
                    "--credentials",
                    "credentials.yml",
                ],
                f"http://127.0.0.1:{port}/",
                "rasa",
            )
            for port in (self.ports.rasa, *self.ports.more_rasa)
        ]

    def start(self) -> LocalAssistant:
        env = self.environment()
        # Before the processes: each migrates the database it opens, and on an empty SQLite
        # file (no lock to take, unlike PostgreSQL) they would race to create the tables.
        upgrade_url(env["DATABASE_URL"])
        self.processes = self._plan()
        for process in self.processes:
            self._launch(process, env)
        try:
            self._wait_until_ready(self.processes)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, process: Process, env: dict[str, str]) -> None:
        process.started_at = time.monotonic()
        process.popen = subprocess.Popen(
            process.command,
            cwd=ROOT,
            env=self.process_environment(process.role, env),
            stdout=self._log_file(process),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def process(self, name: str) -> Process:
        [named] = [p for p in self.processes if p.name == name]
        return named

    def kill(self, name: str) -> None:
        """SIGKILL one process ("rasa", "action server", "bot service"), as a crash would."""
        process = self.process(name)
        os.killpg(process.launched.pid, signal.SIGKILL)
        process.launched.wait()

    def restart(self, name: str) -> None:
        """Start a stopped process again with its settings, and wait until it answers."""
        process = self.process(name)
        self._launch(process, self.environment())
        self._wait_until_ready([process])

    def _log_file(self, process: Process):
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return open(self.log_dir / f"{process.name.replace(' ', '_')}.log", "ab")

    def _wait_until_ready(self, processes: list[Process]) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        waiting = list(processes)
        while waiting:
            for process in list(waiting):
                if process.launched.poll() is not None:
                    raise RuntimeError(f"{process.name} exited with code {process.launched.returncode}")
                if _answers(process.health_url):
                    process.ready_after = time.monotonic() - process.started_at
                    waiting.remove(process)
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {STARTUP_TIMEOUT_SECONDS}s: {[p.name for p in waiting]}")
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes:
            if process.popen and process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in self.processes:
            if process.popen:
                try:
                    process.popen.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.popen.pid, signal.SIGKILL)
                    process.popen.wait()

    def __enter__(self) -> LocalAssistant:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _interrupt(*_signal_args) -> None:
    raise KeyboardInterrupt


def run_until_interrupted(model: Path) -> None:
    assistant = LocalAssistant(model)
    # Both, explicitly: a shell starting us in the background ignores SIGINT.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        assistant.start()
        for process in assistant.processes:
            print(f"  {process.name:<14} ready in {process.ready_after:5.1f}s  {process.health_url}")
        print(f"\nWeb chat: http://localhost:{assistant.ports.bot}/   (Ctrl-C stops all three)\n", flush=True)
        while all(p.launched.poll() is None for p in assistant.processes):
            time.sleep(1)
        stopped = [p.name for p in assistant.processes if p.launched.poll() is not None]
        print(f"{', '.join(stopped)} stopped; stopping the others.", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
    finally:
        assistant.stop()
