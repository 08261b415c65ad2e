"""A follow-up fact adds to the verdict and never lowers it (bot/offers/followup.py)."""

from pathlib import Path

from bot.content import LiveContent
from bot.offers import HIGH, LOW, MEDIUM, OfferChecker
from bot.offers.followup import after_answer, new_signs, with_new_fact

ROOT = Path(__file__).resolve().parents[2]
LEGIT = "Tuyển lao động đi Nhật theo chương trình thực tập sinh kỹ năng, công ty được cấp phép, hợp đồng 3 năm, lương 35 triệu"
LURE = "Cần người đi làm ở Myawaddy, việc nhẹ lương cao 2000 usd, bao ăn ở, không cần hộ chiếu có người đón ở biên giới"


def checker():
    return OfferChecker(LiveContent(ROOT / "content").templates.content)


def test_a_new_destination_raises_the_verdict_and_keeps_the_earlier_signs():
    the_checker = checker()
    earlier = the_checker.check(LEGIT)
    updated = with_new_fact(the_checker, earlier, LEGIT, "nhưng họ bảo qua campuchia làm trước 3 tháng")
    assert updated.risk in (MEDIUM, HIGH)
    assert {s.id for s in earlier.signs} <= {s.id for s in updated.signs}
    assert "risky_destination" in {s.id for s in new_signs(earlier, updated)}


def test_a_question_about_a_flagged_offer_never_lowers_it():
    the_checker = checker()
    earlier = the_checker.check(LURE)
    assert earlier.risk == HIGH
    updated = with_new_fact(the_checker, earlier, LURE, "luong vay la cao ha")
    assert updated.risk == HIGH and not new_signs(earlier, updated)


def test_an_answer_never_takes_a_flagged_offer_to_low():
    assert after_answer(MEDIUM, LOW) == MEDIUM
    assert after_answer(HIGH, LOW) == MEDIUM
    assert after_answer(LOW, LOW) == LOW


def test_a_follow_up_answer_gives_the_risk_and_each_sign_a_line_of_their_own():
    templates = LiveContent(ROOT / "content").templates
    signs = [{"title": "Việc nhẹ lương cao"}, {"title": "Đòi đặt cọc, đóng phí"}]
    said = templates.render("utter_offer_followup", "webchat", {"topic": "pay", "risk": "high", "signs": signs}, {})
    lines = said["text"].splitlines()
    assert "Mức nguy cơ của tin này vẫn là CAO 🚨" in lines and "🚩 Việc nhẹ lương cao" in lines


def test_a_fee_question_about_work_abroad_says_how_to_pay_a_licensed_company_not_pay_nothing():
    templates = LiveContent(ROOT / "content").templates
    about = {"topic": "fee", "risk": "medium", "signs": [{"title": "Đòi đặt cọc, đóng phí"}]}
    abroad = templates.render("utter_offer_followup", "webchat", {**about, "abroad": True}, {})["text"]
    at_home = templates.render("utter_offer_followup", "webchat", {**about, "abroad": False}, {})["text"]
    assert "dolab.gov.vn" in abroad and "không nộp bất kỳ khoản nào" not in abroad
    assert "không nộp bất kỳ khoản nào" in at_home


def test_an_offer_in_taiwan_is_abroad_for_the_fee_answer():
    assert checker().check("tuyen ng di dai loan lam nha may, phi 150tr, hop dong 3 nam").abroad


def test_a_destination_told_later_makes_the_pay_told_earlier_a_sign():
    the_checker = checker()
    ad = "tuyen nv phuc vu\nluong 25tr/thang"
    earlier = the_checker.check(ad)
    updated = with_new_fact(the_checker, earlier, ad, "lam o campuchia")
    assert {"risky_destination", "easy_high_pay"} <= {s.id for s in new_signs(earlier, updated)}
    assert updated.risk == HIGH
