"""PostgreSQL and Redis from Debian's packages, started for one test session.

Each runs on a free loopback port with its data in a temporary folder, and is
stopped at the end; nothing of the machine's own services is used.
`scripts/install-system-packages.sh` installs both.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from support import free_port

READY_SECONDS = 30


class Postgres:
    """A throw-away PostgreSQL cluster; `url(name)` makes and names one database."""

    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        assert binaries, "PostgreSQL is not installed: run scripts/install-system-packages.sh"
        self.bin = Path(binaries[-1])
        # Not under pytest's temporary folders: those are closed to other users, postgres included.
        self.folder = Path(tempfile.mkdtemp(prefix="test-postgres-"))
        self.port = free_port()
        self.data = self.folder / "data"

    def _as_postgres(self, *command: str) -> None:
        # PostgreSQL refuses to run as root, which CI is.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + list(command), check=True, capture_output=True, text=True)

    def start(self) -> Postgres:
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.data, "postgres")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "start",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.folder}",
        )
        return self

    def url(self, database: str) -> str:
        self._as_postgres(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", database
        )
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process = None

    def start(self) -> Redis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + READY_SECONDS
        while (
            subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True).stdout.strip()
            != "PONG"
        ):
            assert time.monotonic() < deadline, "redis did not start"
            time.sleep(0.2)
        return self

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
