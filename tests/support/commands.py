"""`python -m bot …` run inside the test process: the real parser and handlers
(bot.__main__.main) without the seconds a new Python spends on its imports, so
the command tests stay in `make test-fast`."""

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass


@dataclass
class Ran:
    """What subprocess.run would have given: the exit code and what was printed."""

    returncode: int
    stdout: str
    stderr: str


def bot_command(*args: str, stdin: str = "") -> Ran:
    from bot.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    real_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stopped:  # argparse, or a handler giving up with a message
                code = stopped.code if isinstance(stopped.code, int) else 1
                if isinstance(stopped.code, str):
                    print(stopped.code, file=sys.stderr)
    finally:
        sys.stdin = real_stdin
    return Ran(code, out.getvalue(), err.getvalue())
