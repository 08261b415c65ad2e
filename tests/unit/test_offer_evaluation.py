"""The checker on real texts: lures quoted by Vietnamese news, police and ministries,
and ordinary ads from job boards (tests/data/offers_*.jsonl, each with its source URL)."""
from bot.content import load_templates
from bot.offers import OfferChecker
from bot.offers.evaluation import evaluate, read_labelled, report
from conftest import ROOT

DATA = [ROOT / "tests" / "data" / "offers_lures.jsonl", ROOT / "tests" / "data" / "offers_ordinary.jsonl"]
# Floors a little below what the committed checker measures (docs/offer-checker.md:
# recall 0.792, false positives 0.000 on full texts). The bar is recall
# 0.85; the checker does not reach it yet on this set, and the floor says so.
MIN_RECALL = 0.75
MAX_FALSE_POSITIVE_RATE = 0.15
# Cut to their first 160 characters, lures and ordinary ads are of similar
# length, so length cannot be what tells them apart.
TRUNCATED_CHARS = 160
MIN_RECALL_TRUNCATED = 0.65


def checker():
    templates, problems = load_templates(ROOT / "content")
    assert not problems
    return OfferChecker(templates.content)


def test_every_labelled_text_has_a_source():
    rows = read_labelled(DATA)
    assert len([r for r in rows if r["label"] == "lure"]) >= 60
    assert len([r for r in rows if r["label"] == "ordinary"]) >= 60
    assert all(r["source_url"].startswith("http") for r in rows)


def test_catches_lures_without_crying_wolf():
    result = evaluate(checker(), read_labelled(DATA))
    print(report(result, "full texts"))
    assert result.recall >= MIN_RECALL
    assert result.false_positive_rate <= MAX_FALSE_POSITIVE_RATE


def test_length_is_not_what_separates_them():
    result = evaluate(checker(), read_labelled(DATA), limit=TRUNCATED_CHARS)
    print(report(result, f"first {TRUNCATED_CHARS} characters"))
    assert result.recall >= MIN_RECALL_TRUNCATED
    assert result.false_positive_rate <= MAX_FALSE_POSITIVE_RATE
