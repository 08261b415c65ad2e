"""The learned score (bot/offers/learned.py): it only raises a verdict, and it is judged by source-grouped CV."""

import math

import numpy as np
import pytest
from support import ROOT

from bot.content import load_templates
from bot.offers import HIGH, LOW, MEDIUM, OfferChecker
from bot.offers.checker import RISK_ORDER
from bot.offers.evaluation import read_labelled
from bot.offers.learned import LearnedScore, grouped_folds, layout_stripped, load
from bot.offers.reply import verdict_arguments
from bot.offers.splits import source_of, split_files

OFFERS = [
    # one mild sign: low by the hand weights
    "Quán cafe tuyển nhân viên phục vụ part-time, không cần kinh nghiệm, lương 25k/giờ, địa chỉ 12 Nguyễn Trãi, Hà Nội.",
    # no sign at all
    "Cửa hàng điện thoại tuyển nhân viên kỹ thuật, lương 9 triệu, làm tại quận 5.",
    # a fee: medium by the floor
    "Tuyển nhân viên bán hàng, lương 7 triệu, nộp 500k tiền đồng phục khi nhận việc.",
    # several strong signs: high
    "Tuyển gấp 20 bạn đi Campuchia làm CSKH, lương 30 triệu, bao vé máy bay, không cần kinh nghiệm, liên hệ qua Telegram.",
]


def saying(probability: float, threshold: float = 0.5) -> LearnedScore:
    """A model whose calibrated probability is `probability` for every offer."""
    logit = math.log(probability / (1 - probability))
    return LearnedScore((), (), np.zeros(2), 0.0, (0.0, logit), threshold, True, "fixed for the test")


@pytest.fixture(scope="module")
def templates():
    templates, problems = load_templates(ROOT / "content")
    assert not problems
    return templates


@pytest.fixture(scope="module")
def content(templates):
    return templates.content


@pytest.mark.parametrize("offer", OFFERS)
@pytest.mark.parametrize("probability", [0.01, 0.99])
def test_the_model_never_lowers_a_verdict_nor_goes_below_a_floor(content, offer, probability):
    hand = OfferChecker(content, learned="hand").check(offer)
    learned = OfferChecker(content, learned=saying(probability)).check(offer)
    assert RISK_ORDER.index(learned.risk) >= RISK_ORDER.index(hand.risk)
    assert RISK_ORDER.index(learned.risk) >= RISK_ORDER.index(learned.floor)
    # A raise by the model is kept as a floor (follow-up answers move the hand score only); nothing else moves.
    assert learned.floor == (MEDIUM if learned.raised_by_model else hand.floor) and learned.signs == hand.signs


def test_the_model_raises_low_to_medium_only(content):
    hands = [OfferChecker(content, learned="hand").check(offer).risk for offer in OFFERS]
    assert hands == [LOW, LOW, MEDIUM, HIGH]
    sure = OfferChecker(content, learned=saying(0.99))
    assert [sure.check(offer).risk for offer in OFFERS] == [MEDIUM, MEDIUM, MEDIUM, HIGH]
    # Below its threshold the model changes nothing, however much the hand weights said.
    unsure = OfferChecker(content, learned=saying(0.99, threshold=0.995))
    assert [unsure.check(offer).risk for offer in OFFERS] == hands


def test_the_cross_validation_holds_out_whole_sources():
    rows = read_labelled(split_files("train")) + read_labelled(split_files("dev"))
    groups = np.array([source_of(r["source_url"]) for r in rows])
    labels = np.array([r["label"] == "lure" for r in rows], dtype=int)
    folds = grouped_folds(groups, labels, 5)
    held_out = np.concatenate([held for _, held in folds])
    assert sorted(held_out) == list(range(len(rows)))
    for training, held in folds:
        assert not set(groups[training]) & set(groups[held])
        assert 0 < labels[held].mean() < 1


def test_the_stored_model_says_how_it_was_decided():
    model = load()
    assert model is not None and 0 < model.medium < 1
    assert "grouped by source" in model.note and "rule:" in model.note
    weighing = model.describe()
    assert weighing.startswith("hand weights")


NO_SIGN = OFFERS[1]


def test_no_follow_up_answer_brings_a_model_raised_medium_back_to_low(content):
    hand = OfferChecker(content, learned="hand")
    verdict = OfferChecker(content, learned=saying(0.99)).check(NO_SIGN)
    assert verdict.risk == MEDIUM and verdict.raised_by_model and verdict.floor == MEDIUM
    for question in content.offer_settings.questions:
        # Every reassuring answer lowers the hand score; without the raise kept as a floor it would be low.
        assert hand.rescore(verdict.score, question.id, "yes")[1] == LOW
        assert hand.rescore(verdict.score, question.id, "yes", floor=verdict.floor)[1] == MEDIUM
    later = hand.recheck(verdict, "Công ty có địa chỉ rõ ràng, có hợp đồng lao động, không thu phí.")
    assert later.risk == MEDIUM and later.floor == MEDIUM and later.raised_by_model


def checks_of(said: str) -> list[str]:
    return [line for line in said.splitlines() if line.startswith("•")]


def test_a_model_raised_medium_with_no_sign_says_so_and_gives_the_checks(templates, content):
    raised = OfferChecker(content, learned=saying(0.99)).check(NO_SIGN)
    low = OfferChecker(content, learned="hand").check(NO_SIGN)
    with_a_fee = OfferChecker(content, learned="hand").check(OFFERS[2])
    assert (raised.risk, low.risk, with_a_fee.risk) == (MEDIUM, LOW, MEDIUM) and not raised.signs
    said, said_low, said_fee = (
        templates.render("utter_offer_verdict", "webchat", verdict_arguments(v), {})["text"]
        for v in (raised, low, with_a_fee)
    )
    # Not the medium of listed signs ("some suspicious signs" with none shown): its own first line,
    assert said.splitlines()[0] != said_fee.splitlines()[0]
    # followed by the checks the lowest verdict gives for this kind of offer.
    assert checks_of(said) == checks_of(said_low) and len(checks_of(said)) >= 2
    assert not checks_of(said_fee)


def test_layout_stripping_keeps_only_the_words_of_the_offer():
    assert layout_stripped("cong ty tnhh abc tuyen • nhan vien - luong 8-10 trieu/thang") == (
        "abc tuyen nhan vien luong trieu thang"
    )
