"""The held-out set stays held out: no evaluation message may be trained on."""

import re

import yaml
from support import ROOT

from nlu.normalise import normalise

ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def examples(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data.get("nlu", []):
        for line in (item.get("examples") or "").splitlines():
            text = line.strip()[2:].strip()
            if text:
                yield item.get("intent"), ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)


def test_no_held_out_message_is_in_the_training_data():
    trained = {normalise(text) for path in (ROOT / "nlu" / "data").glob("*.yml") for _, text in examples(path)}
    copied = [text for _, text in examples(ROOT / "tests" / "data" / "nlu_heldout.yml") if normalise(text) in trained]
    assert copied == []


def test_every_main_intent_has_at_least_30_training_examples():
    counts = {}
    for _, intent_examples in [(None, examples(ROOT / "nlu" / "data" / "nlu.yml"))]:
        for intent, _ in intent_examples:
            counts[intent] = counts.get(intent, 0) + 1
    assert min(counts.values()) >= 30, counts
