"""The checker on real texts: lures quoted by Vietnamese news, police and ministries,
and ordinary ads from job boards (tests/data/offers_*.jsonl, each with its source URL;
tests/data/README.md says how they were collected and reviewed)."""
import json

import pytest

from bot.content import load_templates
from bot.offers import OfferChecker
from bot.offers.evaluation import evaluate, only_usable, read_labelled, report
from support import ROOT

DATA = [ROOT / "tests" / "data" / "offers_lures.jsonl", ROOT / "tests" / "data" / "offers_ordinary.jsonl"]
REVIEW = ROOT / "tests" / "data" / "offers_usable.jsonl"
# The bar (recall 0.85, false positives 0.15) on the offer texts a blind
# review judged usable; a looser recall floor on every item, fragments included.
# Measured (docs/offer-checker.md): usable 0.899 / 0.019, all 0.840 / 0.014.
MIN_RECALL_USABLE = 0.85
MIN_RECALL_ALL = 0.80
MAX_FALSE_POSITIVE_RATE = 0.15
# Cut to their first 160 characters, lures and ordinary ads are of similar
# length, so length cannot be what tells them apart (measured 0.854 / 0.019).
TRUNCATED_CHARS = 160
MIN_RECALL_TRUNCATED = 0.80


@pytest.fixture(scope="module")
def checker():
    templates, problems = load_templates(ROOT / "content")
    assert not problems
    return OfferChecker(templates.content)


@pytest.fixture(scope="module")
def usable_rows():
    return only_usable(read_labelled(DATA), REVIEW)


def test_every_labelled_text_has_a_source_and_a_review():
    rows = read_labelled(DATA)
    assert len([r for r in rows if r["label"] == "lure"]) >= 60
    assert len([r for r in rows if r["label"] == "ordinary"]) >= 60
    assert all(r["source_url"].startswith("http") for r in rows)
    reviewed = {json.loads(line)["id"] for line in REVIEW.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert {r["id"] for r in rows} == reviewed


def test_catches_lures_without_crying_wolf(checker, usable_rows):
    result = evaluate(checker, usable_rows)
    print(report(result, "usable offer texts"))
    assert result.recall >= MIN_RECALL_USABLE
    assert result.false_positive_rate <= MAX_FALSE_POSITIVE_RATE


def test_fragments_included_most_lures_are_still_caught(checker):
    result = evaluate(checker, read_labelled(DATA))
    assert result.recall >= MIN_RECALL_ALL
    assert result.false_positive_rate <= MAX_FALSE_POSITIVE_RATE


def test_length_is_not_what_separates_them(checker, usable_rows):
    result = evaluate(checker, usable_rows, limit=TRUNCATED_CHARS)
    print(report(result, f"first {TRUNCATED_CHARS} characters"))
    assert result.recall >= MIN_RECALL_TRUNCATED
    assert result.false_positive_rate <= MAX_FALSE_POSITIVE_RATE
