"""The list of known scam recruiters: normalising contacts, finding them in offers, matching reposted lures."""

import pytest

from bot.knownscams import normalise as n
from bot.knownscams import similar
from bot.knownscams.extract import find_contacts

LURE = (
    "Tuyển gấp 10 bạn nữ làm nhân viên chăm sóc khách hàng online tại Campuchia, lương cứng 1.200 USD/tháng, "
    "bao ăn ở, bao vé máy bay, không cần kinh nghiệm, không cần bằng cấp. Chỉ cần biết dùng điện thoại. "
    "Ai quan tâm nhắn Zalo cho chị để được hướng dẫn làm hồ sơ đi ngay trong tuần này."
)
OTHER_LURE = (
    "Việc làm thêm tại nhà cho học sinh sinh viên: chỉ cần like, share sản phẩm trên Shopee, mỗi nhiệm vụ được "
    "hoa hồng 15%, nạp trước 200k để kích hoạt tài khoản, rút tiền trong ngày, thu nhập 500k đến 1 triệu mỗi ngày."
)


def words(text):
    return similar.shingles(n.lure_words(text))


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "0912.345.678", "091-234-5678", "+84 912 345 678", "84912345678", "(+84) 912345678"]
)
def test_every_way_of_writing_a_mobile_number_is_one_number(typed):
    assert n.phone(typed) == "+84912345678"


def test_old_eleven_digit_mobile_numbers_become_their_2018_ten_digit_form():
    assert n.phone("0169 123 4567") == "+84391234567"  # Viettel 0169 -> 039
    assert n.phone("0128.123.4567") == "+84781234567"  # MobiFone 0128 -> 078
    assert n.phone("0243 826 1234") == "+842438261234"  # a Hà Nội landline (11 digits) is left alone


def test_short_codes_foreign_numbers_and_non_numbers():
    assert n.phone("111") == "111"
    assert n.phone("1900 969 680") == "1900969680"
    assert n.phone("+855 12 345 678") == "+85512345678"
    assert n.phone("gọi em") is None
    assert n.phone("12") is None


def test_links_and_domains():
    assert n.domain("https://www.Shopee-VN.xyz/tuyen-dung?ref=1") == "shopee-vn.xyz"
    assert n.domain("shopee-vn.xyz") == "shopee-vn.xyz"
    assert n.short_link("https://bit.ly/3AbCd?x=1") == "bit.ly/3AbCd"
    assert n.short_link("bit.ly") is None
    assert n.short_link("example.com/abc") is None


def test_chat_accounts_from_links_and_names():
    assert n.telegram("https://t.me/Tuyen_Dung_VN") == n.telegram("@tuyen_dung_vn") == "tuyen_dung_vn"
    assert n.facebook("https://m.facebook.com/Viec.Lam.Them/") == n.facebook("fb.com/viec.lam.them") == "viec.lam.them"
    assert n.facebook("https://www.facebook.com/profile.php?id=100012345") == "id:100012345"
    assert n.zalo("zalo.me/0912345678") == n.zalo("+84 912 345 678") == "+84912345678"
    assert n.telegram("https://example.com/x") is None


def test_company_names_fold_without_their_legal_form():
    assert n.company("Công ty TNHH Thành Đạt") == n.company("THANH DAT CO., LTD") == "thanh dat"
    assert n.company("Công ty Cổ phần Cơ khí Hòa Bình") == "co khi hoa binh"
    assert n.company("Cty TNHH MTV Xuất khẩu lao động Sao Mai") == "xuat khau lao dong sao mai"


def test_the_contacts_of_an_offer_are_found_and_amounts_are_not_numbers():
    text = (
        "Tuyển gấp CSKH, lương 15.000.000đ/tháng. LH Zalo 0912.345.678 hoặc t.me/tuyendung_kh, "
        "web https://www.viec-nhe.xyz/apply, bit.ly/3AbCd, email hr@gmail.com. Công ty TNHH Thành Đạt, "
        "fanpage fb.com/vieclam.online"
    )
    found = {(c.kind, c.value) for c in find_contacts(text)}
    assert {
        ("phone", "+84912345678"),
        ("telegram", "tuyendung_kh"),
        ("domain", "viec-nhe.xyz"),
        ("short_link", "bit.ly/3AbCd"),
        ("facebook", "vieclam.online"),
        ("company", "thanh dat"),
    } <= found
    assert not any(kind == "phone" and "15000000" in value for kind, value in found)
    assert ("domain", "gmail.com") not in found


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace(" ", "  ").replace(", ", " ,"),  # spacing
        lambda t: n.lure(t),  # diacritics, case and punctuation gone
        lambda t: t.replace("Campuchia", "Cam"),  # one word swapped
        lambda t: "🔥🔥 " + t.replace(".", " 💰.") + " ✅",  # emoji
        lambda t: t[: int(len(t) * 0.6)],  # cut short
    ],
)
def test_a_lure_reposted_with_small_edits_matches(edit):
    assert similar.similarity(words(LURE), words(edit(LURE))).same_lure


def test_a_different_lure_does_not_match():
    assert not similar.similarity(words(LURE), words(OTHER_LURE)).same_lure


def test_bands_of_near_duplicates_meet_and_of_different_lures_do_not():
    edited = words(LURE.replace("Campuchia", "Cam") + " 🔥")
    assert set(similar.bands(words(LURE))) & set(similar.bands(edited))
    assert not set(similar.bands(words(LURE))) & set(similar.bands(words(OTHER_LURE)))
