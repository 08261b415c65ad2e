"""`make test-fast` stays fast: outside `slow`, no test starts Python (tests/conftest.py)."""

import subprocess
import sys

import pytest


def test_a_fast_test_that_starts_python_fails():
    with pytest.raises(AssertionError, match="mark it @pytest.mark.slow"):
        subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_a_fast_test_may_run_a_tool():
    assert subprocess.run(["true"]).returncode == 0
