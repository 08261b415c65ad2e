"""Intent F1 on a held-out set written separately from the training data."""

import json
import subprocess

from support import ROOT, VENV_BIN

HELD_OUT = ROOT / "tests" / "data" / "nlu_heldout.yml"
REPORT_DIR = ROOT / "results" / "nlu_heldout"
# Set from measured runs (docs/nlu.md: macro F1 0.927, lowest intent 0.842,
# report_danger 0.938), a little below, so a real regression fails and
# run-to-run noise does not.
MIN_MACRO_F1 = 0.85
MIN_INTENT_F1 = 0.70
SAFETY_INTENTS = {"report_danger": 0.88, "ask_hotline": 0.85, "request_human": 0.85}


def test_held_out_intent_f1(trained_model):
    subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "nlu",
            "--model",
            str(trained_model),
            "--nlu",
            str(HELD_OUT),
            "--out",
            str(REPORT_DIR),
            "--no-plot",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    report = json.loads((REPORT_DIR / "intent_report.json").read_text())
    intents = {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k}
    print("\nintent                 F1     precision recall  support")
    for name, scores in sorted(intents.items()):
        print(
            f"{name:<22} {scores['f1-score']:.3f}  {scores['precision']:.3f}     {scores['recall']:.3f}   {scores['support']}"
        )
    print(f"macro avg F1 {report['macro avg']['f1-score']:.3f}, accuracy {report['accuracy']:.3f}")
    (REPORT_DIR / "summary.txt").write_text(
        "\n".join(f"{n} {s['f1-score']:.3f} {s['support']}" for n, s in sorted(intents.items()))
        + f"\nmacro_f1 {report['macro avg']['f1-score']:.3f}\naccuracy {report['accuracy']:.3f}\n"
    )

    assert report["macro avg"]["f1-score"] >= MIN_MACRO_F1
    weak = {n: s["f1-score"] for n, s in intents.items() if s["f1-score"] < SAFETY_INTENTS.get(n, MIN_INTENT_F1)}
    assert not weak, f"intents below their F1 floor: {weak}"
