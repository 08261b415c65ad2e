import pytest
from support import ROOT

from bot.content import load_templates
from bot.referrals import referral_for


@pytest.fixture(scope="module")
def templates():
    loaded, problems = load_templates(ROOT / "content")
    assert not problems
    return loaded


def render(templates, referral):
    return templates.render(referral.response, "webchat", {"embassy": referral.embassy}, {})["text"]


@pytest.mark.parametrize(
    "message, in_danger, situation, numbers",
    [
        ("cuu e voi bi giu o cam", True, "danger_abroad", ["+84 981 84 84 84", "111", "113"]),
        ("em bị nhốt ở Myawaddy, cứu em", True, "danger_abroad", ["+95 9 660 888 998", "+84 981 84 84 84"]),
        ("bạn em bị giữ bên Thái Lan", True, "danger_abroad", ["+66 89 896 6653"]),
        ("em bị nhốt trong nhà trọ ở Bình Dương", True, "danger_home", ["113", "111"]),
        # "Thái" alone: Thailand after a going word, a province when a province's name follows.
        ("e dang o ben thai, bi giu ho chieu", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("em ở thái bình bị nhốt trong xưởng", True, "danger_home", ["113", "111"]),
        # "Ben thai" brings the Thailand embassy, not only the citizen-protection line.
        ("e dang lam massage ben thai, bi giu", True, "danger_abroad", ["+66 89 896 6653"]),
        # Vietnamese spellings and slang for the places: abroad too.
        ("e dang lam o ben kia, bi giu ho chieu", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("e o campu bi giu", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("bạn em bị giữ ở Mi-an-ma", True, "danger_abroad", ["+95 9 660 888 998"]),
        ("em bị nhốt ở Xi-ha-núc-vin", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("e bi giu o phi lip pin", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("e dang o du bai bi giu ho chieu", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("em bị giữ bên ma lai", True, "danger_abroad", ["+84 981 84 84 84"]),
        # "ma lai" alone is "mà lại" (and what's more): no place.
        ("e bi giu o nha tro, ma lai ko co tien", True, "danger_home", ["113", "111"]),
        ("e tung bi ep lam lua dao ben cpc, gio ve vn r, e so lam", True, "danger_home", ["113", "111"]),
        ("em đã về nước rồi nhưng bạn em còn bị giữ ở Campuchia", True, "danger_abroad", ["+84 981 84 84 84"]),
        ("báo tin nhắn lừa đảo ở đâu", False, "scam_message", ["5656"]),
        # A prize, a bank, a parcel, a link to press: a scam message, whoever sent it.
        ("co sms noi e trung thuong, bat nhan vao link, bao o dau", False, "scam_message", ["5656"]),
        ("lỡ bấm rồi, giờ sao", False, "scam_message", ["VNeID"]),
        ("con tôi mất liên lạc, tôi nên gọi ai", False, "worried_family", ["111", "+84 981 84 84 84"]),
        # Someone close already went: what to do for a person abroad.
        ("nhưng bạn mình đi rồi 😟", False, "worried_family", ["+84 981 84 84 84"]),
        ("muốn tố cáo kẻ tuyển dụng lừa đảo", False, "report_recruiter", ["111", "VNeID"]),
        # The name of the account being reported: keep it, report it.
        ("page đó tên là Việc Làm Nhanh", False, "report_recruiter", ["VNeID", "tên tài khoản"]),
        ("số đường dây nóng là gì", False, "main_lines", ["111", "113"]),
    ],
)
def test_context_decides_the_referral(templates, message, in_danger, situation, numbers):
    referral = referral_for(message, templates.content.referrals, in_danger)
    assert referral.situation == situation
    text = render(templates, referral)
    assert all(number in text for number in numbers)


def test_unverified_numbers_are_never_given(templates):
    for situation in (
        "danger_abroad",
        "danger_home",
        "scam_message",
        "worried_family",
        "report_recruiter",
        "main_lines",
    ):
        text = templates.render(f"utter_referral_{situation}", "webchat", {"embassy": None}, {})["text"]
        assert "1800 1567" not in text and "156" not in text.replace("1567", "")


@pytest.mark.parametrize(
    "message, earlier, for_someone_else",
    [
        ("em bị đánh, cứu em, em đang ở bavet", "", False),
        ("con tôi bị giữ bên campuchia, họ đánh nó", "", True),
        # Who is in danger was said before: "nó" is the daughter.
        ("giờ nó bị đánh rồi", "con gái tôi đi làm bên cam mất liên lạc", True),
    ],
)
def test_a_parent_is_not_told_they_are_not_to_blame(templates, message, earlier, for_someone_else):
    referral = referral_for(message, templates.content.referrals, in_danger=True, earlier=earlier)
    assert referral.for_someone_else == for_someone_else
    variables = {"embassy": referral.embassy, "abroad": referral.abroad, "for_someone_else": referral.for_someone_else}
    text = templates.render(referral.response, "webchat", variables, {})["text"]
    assert ("Bạn không có lỗi" in text) != for_someone_else
    assert "là nạn nhân" in text
