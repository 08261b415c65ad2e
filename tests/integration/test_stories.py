"""Test stories: NLU and dialogue together, on messages not in the training data."""

import subprocess

from support import ROOT, VENV_BIN


def test_conversation_stories_are_predicted_exactly(trained_model):
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "core",
            "--model",
            str(trained_model),
            "--stories",
            str(ROOT / "tests" / "stories"),
            "--out",
            str(ROOT / "results" / "core"),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    failed = ROOT / "results" / "core" / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{details}"
