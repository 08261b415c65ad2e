"""Where the person is carries over the conversation; new facts get their own advice (bot/referrals.py)."""

from pathlib import Path

import pytest

from bot.content import LiveContent
from bot.referrals import DANGER_ABROAD, MAIN_LINES, is_there_now, referral_for

ROOT = Path(__file__).resolve().parents[2]


def settings():
    return LiveContent(ROOT / "content").templates.content.referrals


def test_a_country_named_earlier_makes_the_next_danger_abroad():
    found = referral_for("ho danh toi, cuu toi", settings(), in_danger=True, earlier="toi dang o sihanoukville")
    assert found.situation == DANGER_ABROAD and found.abroad


def test_an_embassy_named_earlier_is_kept():
    found = referral_for("cho xin so", settings(), in_danger=False, earlier="minh dang o myawaddy")
    assert found.situation == MAIN_LINES and found.abroad and found.embassy == "embassy_myanmar"


def test_a_ransom_and_a_taken_phone_each_get_their_advice():
    found = referral_for("ho doi tien chuoc 5000 do, thu het dien thoai roi", settings(), in_danger=True)
    assert len(found.advice) == 2 and any("chuộc" in a for a in found.advice)


def test_no_fact_no_advice():
    assert referral_for("cuu em voi", settings(), in_danger=True).advice == ()


def test_a_debt_to_pay_before_going_home_is_a_ransom():
    found = referral_for("họ bắt em trả nợ 5000 đô mới cho về", settings(), in_danger=True)
    assert any("chuộc" in a for a in found.advice)


def test_a_friend_out_of_touch_gets_what_to_have_ready_and_keeps_the_familys_referral():
    earlier = "bạn e đi cam 3 tháng rồi giờ ko liên lạc đc"
    danger = referral_for(earlier, settings(), in_danger=True)
    assert danger.for_someone_else and any("chuẩn bị sẵn" in a for a in danger.advice)
    found = referral_for("làm sao để tìm", settings(), in_danger=False, earlier=earlier)
    assert found.situation == "worried_family" and found.abroad


def test_the_fear_of_arrest_gets_the_victims_answer():
    found = referral_for("nhung so ve vn bi bat", settings(), in_danger=True, earlier="e dang lam o cam")
    assert found.abroad and any("là nạn nhân" in a for a in found.advice)


@pytest.mark.parametrize(
    ("text", "there_now"),
    [
        ("gio e dang o bavet roi, ho bao e cho xe toi don, e so qua, goi ai", True),
        ("e moi qua o cam dc 2 tuan, cty bao lam sale online ma toan lua nguoi, e muon ve", True),
        # Ads say where the company is, in the third person: still ads to check.
        ("Cty đang ở Campuchia cần tuyển gấp 10 bạn CSKH, lương 1500$", False),
        ("tuyen nv qua cam lam, luong 30tr, ai muon qua ib", False),
        # At home, however scared.
        ("em đang ở Bình Dương, em sợ quá", False),
    ],
)
def test_someone_writing_from_abroad_now_is_told_apart_from_an_ad(text, there_now):
    assert is_there_now(text, settings()) is there_now
