"""The checker on real texts, measured by the real command on the committed splits.

Lures quoted by Vietnamese news, police and ministries; ordinary ads from job
boards, labour-export notices and informal posts, each with its source URL
(tests/data/README.md). The split rule is bot/offers/splits.py; the test split
is only ever measured here and at the end of a tuning round (docs/offer-checker.md
says how many times it was looked at).
"""

import pytest
from support.commands import bot_command

from bot.offers.evaluation import read_labelled
from bot.offers.splits import IN_SAMPLE, SPLITS, _near, _shingles, source_of, split_files, split_of_source

# The gate on the held-out test split (full ads and ads cut to 300 characters).
# The target is recall 0.88; the checker does not reach it, and the
# test split may not be tuned on to get there. The recall gate is a regression
# floor set after the sixth look (2026-12-07: 0.773, 34 of 44 lures), a little
# below it so that losing three of them fails. False alarms: the 0.10. Honest
# test figures and how often the test split was looked at: docs/offer-checker.md.
TEST_MIN_RECALL = 0.72
TEST_MAX_FALSE_ALARMS = 0.10
# Train is in-sample (tuned on): a regression floor, not a measure of quality. It was 0.867
# (326/376) on 2026-12-06; 0.80 leaves room for fresh, harder items in a new split.
TRAIN_MIN_RECALL = 0.80
TRAIN_MAX_FALSE_ALARMS = 0.05


def run_eval(*args):
    return bot_command("eval-offers", *args)


@pytest.fixture(scope="module")
def splits():
    return {split: read_labelled(split_files(split)) for split in SPLITS}


def test_every_labelled_text_has_a_source(splits):
    rows = [r for split in splits.values() for r in split]
    assert len([r for r in rows if r["label"] == "lure"]) >= 300
    assert len([r for r in rows if r["label"] == "ordinary"]) >= 200
    assert all(r["source_url"].startswith("http") for r in rows)


def test_each_item_is_in_the_split_its_source_gives(splits):
    in_sample = {source_of(r["source_url"]) for r in read_labelled(IN_SAMPLE)}
    for split, rows in splits.items():
        assert all(split_of_source(source_of(r["source_url"]), in_sample) == split for r in rows)


def test_no_text_is_measured_after_being_tuned_on(splits):
    earlier = [_shingles(r["text"]) for split in ("train", "dev") for r in splits[split]]
    for row in splits["test"]:
        shingles = _shingles(row["text"])
        assert not any(_near(shingles, seen) for seen in earlier)


def test_held_out_test_split_meets_the_gate():
    result = run_eval(
        "--split", "test", "--gate-recall", str(TEST_MIN_RECALL), "--gate-false-alarms", str(TEST_MAX_FALSE_ALARMS)
    )
    assert result.returncode == 0, result.stderr


def test_in_sample_train_split_does_not_regress():
    result = run_eval(
        "--split", "train", "--gate-recall", str(TRAIN_MIN_RECALL), "--gate-false-alarms", str(TRAIN_MAX_FALSE_ALARMS)
    )
    assert result.returncode == 0, result.stderr
    assert "per-sign" not in result.stderr and "| sign | precision | recall on lures |" in result.stdout
