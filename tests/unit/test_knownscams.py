"""The list of known scam recruiters: normalising contacts, finding them in offers, matching reposted lures."""

import datetime as dt
import io
from dataclasses import replace

import pytest
from sqlalchemy import select
from support import ROOT
from support.commands import bot_command

from bot.content import load_templates
from bot.knownscams import normalise as n
from bot.knownscams import similar
from bot.knownscams.csvfile import read_rows, write_rows
from bot.knownscams.extract import find_contacts, web_links
from bot.knownscams.store import ImportResult, KnownScamError, KnownScams, ListEditor, Protected
from bot.offers import HIGH, OfferChecker
from bot.offers.reply import verdict_for_person
from bot.store import AuditEntry, Database

REPORT_VARIABLES = ("listed_kind", "value", "checked", "source", "others")

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


# --- the list in the database ------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    return Database(f"sqlite:///{tmp_path / 'app.db'}")


@pytest.fixture(scope="module")
def hotlines():
    templates, problems = load_templates(ROOT / "content")
    assert not problems
    return templates.content.hotlines


@pytest.fixture
def editor(db, hotlines):
    return ListEditor(db, Protected.from_hotlines(hotlines.values()))


def audit_actions(db):
    with db.session() as session:
        return [(a.action, a.staff_name) for a in session.execute(select(AuditEntry)).scalars()]


def test_a_listed_number_is_found_however_the_offer_writes_it(db, editor):
    editor.add("phone", "0912 345 678", "111, báo tin ngày 2/3", "2026-03-02", added_by="lan")
    reports = KnownScams(db).reports("Tuyển CSKH lương cao, liên hệ Zalo +84 912.345.678 gấp")
    assert [(r.kind, r.display, r.checked, r.quote) for r in reports] == [
        ("phone", "0912 345 678", dt.date(2026, 3, 2), "+84 912.345.678")
    ]
    assert KnownScams(db).reports("Tuyển CSKH lương cao, liên hệ Zalo 0912 345 679 gấp") == ()
    editor.add("zalo", "zalo.me/0977111222", "NCSC", "2026-03-01", added_by="lan")
    assert [r.kind for r in KnownScams(db).reports("Kết bạn Zalo 0977 111 222 để nhận việc")] == ["zalo"]
    assert audit_actions(db) == [("known_scam_added", "lan")] * 2


def test_an_edited_copy_of_a_listed_lure_is_found_and_a_different_lure_is_not(db, editor):
    editor.add("lure", LURE, "NCSC cảnh báo", "2026-02-20", added_by="lan")
    edited = n.lure(LURE).replace("campuchia", "cam") + " 🔥🔥"
    assert [r.kind for r in KnownScams(db).reports(edited)] == ["lure"]
    assert KnownScams(db).reports(OTHER_LURE) == ()


@pytest.mark.parametrize("number", ["111", "+84 981 84 84 84", "0981848484", "1900 969 680", "zalo.me/0965411118"])
def test_a_verified_hotline_number_can_never_be_added(editor, db, number):
    kind = "zalo" if number.startswith("zalo") else "phone"
    with pytest.raises(KnownScamError, match="verified hotline"):
        editor.add(kind, number, "someone", "2026-03-01", added_by="lan")
    assert editor.entries() == []
    assert audit_actions(db) == []


def test_removing_an_entry_is_audited_and_it_is_no_longer_found(db, editor):
    entry = editor.add("domain", "https://www.viec-nhe.xyz/apply", "NCSC", "2026-03-01", added_by="lan")
    editor.remove(entry.id, removed_by="minh", reason="the site changed hands")
    assert KnownScams(db).reports("Đăng ký tại viec-nhe.xyz nhận việc ngay") == ()
    assert audit_actions(db) == [("known_scam_added", "lan"), ("known_scam_removed", "minh")]


@pytest.mark.parametrize(
    "row, message",
    [
        ("phone,0912 345 678,,2026-03-01,", "source is missing"),
        ("phone,0912 345 678,111,,", "not a date"),
        ("phone,0912 345 678,111,2026-13-01,", "not a date"),
        ("phone,gọi em nhé,111,2026-03-01,", "cannot be read as a phone"),
        ("phone,111,someone,2026-03-01,", "verified hotline"),
        ("fax,0912 345 678,111,2026-03-01,", "not one of"),
    ],
)
def test_an_import_names_the_line_of_a_bad_row_and_imports_nothing(tmp_path, editor, row, message):
    path = tmp_path / "list.csv"
    path.write_text(
        "kind,value,source,checked,note\n"
        "phone,0987 654 321,111,2026-03-01,\n"
        "domain,viec-nhe.xyz,NCSC,2026-03-01,\n" + row + "\n",
        encoding="utf-8",
    )
    entries, problems = read_rows(path, editor.protected)
    assert [(p.line, message in p.message) for p in problems] == [(4, True)]
    assert str(problems[0]).startswith(f"{path}:4: ")


def test_an_import_adds_updates_and_exports_the_same_rows(tmp_path, editor):
    path = tmp_path / "list.csv"
    path.write_text(
        "kind,value,source,checked,note\n"
        'phone,0987 654 321,"111, báo tin",2026-03-01,\n'
        "company,Công ty TNHH Thành Đạt,NCSC,2026-03-01,đổi tên nhiều lần\n",
        encoding="utf-8",
    )
    entries, problems = read_rows(path, editor.protected)
    assert problems == []
    assert editor.add_all(entries, added_by="import") == ImportResult(2, 0, 0)
    newer = [replace(entries[0], checked=dt.date(2026, 3, 5))]
    assert editor.add_all(newer, added_by="import") == ImportResult(0, 1, 0)
    out = io.StringIO()
    write_rows(editor.entries(), out)
    assert out.getvalue().splitlines() == [
        "kind,value,source,checked,note",
        'phone,0987 654 321,"111, báo tin",2026-03-05,',
        "company,Công ty TNHH Thành Đạt,NCSC,2026-03-01,đổi tên nhiều lần",
    ]


@pytest.fixture
def run_bot(tmp_path, monkeypatch):
    """`python -m bot known-scams …` in-process, on a database of its own."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return lambda *args: bot_command("known-scams", *args)


def test_the_import_command_refuses_a_file_with_one_bad_row_then_imports_and_exports_it(tmp_path, run_bot):
    good = "kind,value,source,checked,note\nphone,0987 654 321,111,2026-03-01,\n"
    path = tmp_path / "list.csv"
    path.write_text(good + "phone,+84 965 41 11 18,someone,2026-03-01,\n", encoding="utf-8")
    refused = run_bot("import", str(path))
    assert refused.returncode == 1
    assert f"{path}:3: '+84 965 41 11 18' is a verified hotline" in refused.stderr
    assert run_bot("export").stdout == "kind,value,source,checked,note\n"
    path.write_text(good, encoding="utf-8")
    imported = run_bot("import", str(path), "--by", "lan")
    assert imported.returncode == 0, imported.stderr
    assert run_bot("export").stdout == good


# --- the checker says "reported" first ------------------------------------------------------

ORDINARY_AD = (
    "Quán cà phê ở Quận 3 tuyển nhân viên phục vụ ca sáng, lương 25.000đ/giờ, có hợp đồng, "
    "đến quán phỏng vấn trực tiếp. Liên hệ chị Hoa 0912 345 678."
)


@pytest.fixture
def listed_number(db, editor):
    editor.add("phone", "0912.345.678", "Tổng đài 111", "2026-03-02", added_by="lan")
    return KnownScams(db)


def test_an_ordinary_ad_with_a_listed_number_is_high_risk_and_never_lower(hotlines, listed_number):
    templates, _ = load_templates(ROOT / "content")
    plain = OfferChecker(templates.content, learned="hand")
    assert plain.check(ORDINARY_AD).risk != HIGH  # on its signs alone it is not
    checker = OfferChecker(templates.content, learned="hand", known=listed_number.reports)
    verdict = checker.check(ORDINARY_AD)
    assert verdict.risk == HIGH and verdict.floor == HIGH and verdict.questions == ()
    assert [r.display for r in verdict.reports] == ["0912.345.678"]
    assert checker.rescore(0.0, "company", "yes", floor=verdict.floor)[1] == HIGH
    assert checker.recheck(verdict, "họ nói không thu phí gì cả").risk == HIGH


def test_the_assistant_says_reported_first_for_a_listed_number(monkeypatch, listed_number):
    from rasa_sdk.executor import CollectingDispatcher

    from actions import offers

    monkeypatch.setattr(offers, "known_scams", lambda: listed_number)
    dispatcher = CollectingDispatcher()
    offers.reply_to_offer(dispatcher, ORDINARY_AD)
    said = [m["response"] for m in dispatcher.messages]
    assert said[0] == "utter_offer_known_scam"
    assert said[1] == "utter_offer_verdict"
    first = dispatcher.messages[0]
    assert (first["listed_kind"], first["value"], first["checked"], first["source"]) == (
        "phone",
        "0912 345 678",
        "02/03/2026",
        "Tổng đài 111",
    )
    assert dispatcher.messages[1]["risk"] == HIGH
    templates, _ = load_templates(ROOT / "content")
    text = templates.render("utter_offer_known_scam", "webchat", {k: first[k] for k in REPORT_VARIABLES}, {})["text"]
    assert text.startswith('⛔ Số điện thoại "0912 345 678" đã được báo là của kẻ tuyển dụng lừa đảo')
    assert "02/03/2026" in text and "Tổng đài 111" in text


def test_an_offer_with_nothing_listed_is_answered_as_before(monkeypatch, db):
    from rasa_sdk.executor import CollectingDispatcher

    from actions import offers

    monkeypatch.setattr(offers, "known_scams", lambda: KnownScams(db))
    dispatcher = CollectingDispatcher()
    offers.reply_to_offer(dispatcher, ORDINARY_AD)
    assert dispatcher.messages[0]["response"] == "utter_offer_verdict"


@pytest.mark.parametrize("text", [LURE, OTHER_LURE, "Ǆ İstanbul ĐÀ NẴNG Ẳ ﬁ", "e\u0301 ngoa\u0300i"])
def test_the_cached_fold_is_the_projects_fold(text):
    from nlu.normalise import fold

    assert n.fold(text) == fold(text)


BRANDS = ["shopee", "lazada", "tiki", "tiktok shop", "amazon", "grab"]


@pytest.mark.parametrize(
    ("domain", "brand"),
    [
        ("shopee-vn.xyz", "shopee"),
        ("shopeevn.top", "shopee"),
        ("shoppee.com", "shopee"),
        ("lazadda.vn", "lazada"),
        ("amazom.com.vn", "amazon"),
        ("tuyendung.shopee-vn.xyz", "shopee"),
        ("shopee.tuyen-dung.xyz", "shopee"),
        ("tiki-vn.shop", "tiki"),
        ("tiktokshop-ctv.com", "tiktokshop"),
    ],
)
def test_a_domain_borrowing_a_brands_name_is_a_lookalike(domain, brand):
    from bot.knownscams.lookalike import imitated_brand

    assert imitated_brand(domain, BRANDS) == brand


@pytest.mark.parametrize(
    "domain", ["shopee.vn", "shopee.com.vn", "lazada.vn", "caphe-sang.vn", "tikivn.org", "grabby.com", "vieclam24h.vn"]
)
def test_a_brands_own_name_or_an_unrelated_name_is_not_called_a_lookalike(domain):
    from bot.knownscams.lookalike import imitated_brand

    assert imitated_brand(domain, BRANDS) is None


def test_a_lookalike_link_is_a_borrowed_brand_and_an_unknown_link_is_said_to_be_unchecked(db, editor):
    templates, _ = load_templates(ROOT / "content")
    checker = OfferChecker(templates.content, learned="hand")
    lookalike = checker.check("Tuyển CTV bán hàng online, đăng ký tại https://shopee-vn.xyz/dang-ky, có hợp đồng")
    assert "https://shopee-vn.xyz/dang-ky" in {
        q for s in lookalike.signs if s.id == "impersonated_brand" for q in s.evidence
    }
    assert lookalike.unchecked_links == ()
    unknown = checker.check("Quán cà phê tuyển phục vụ ca sáng, lương 25.000đ/giờ, xem chi tiết tại caphe-sang.vn")
    assert unknown.unchecked_links == ("caphe-sang.vn",) and not unknown.signs
    editor.add("domain", "https://tuyen-dung-gap.top/form", "NCSC", "2026-02-20", added_by="lan")
    listed = OfferChecker(templates.content, learned="hand", known=KnownScams(db).reports)
    assert listed.check("Việc nhẹ lương cao, đăng ký tại tuyen-dung-gap.top/form").unchecked_links == ()


CAFE_AD = "Quán cà phê tuyển phục vụ ca sáng, lương 25.000đ/giờ, có hợp đồng, xem chi tiết tại {}"


@pytest.mark.parametrize(
    "domain",
    ["cafe-tuyendung.top", "https://cafe-tuyendung.com.vn/apply", "jobs.cafe-tuyendung.xyz", "cafe-tuyendungg.xyz"],
)
def test_a_domain_resembling_a_listed_one_is_said_to_resemble_it_not_to_be_reported(db, editor, domain):
    editor.add("domain", "https://cafe-tuyendung.xyz/form", "NCSC", "2026-02-20", added_by="lan")
    templates, _ = load_templates(ROOT / "content")
    plain = OfferChecker(templates.content, learned="hand").check(CAFE_AD.format(domain))
    assert plain.risk == "low"  # on its signs alone
    checker = OfferChecker(templates.content, learned="hand", known=KnownScams(db).reports)
    verdict = checker.check(CAFE_AD.format(domain))
    assert verdict.reports == () and [(r.quote, r.display) for r in verdict.resembling] == [
        (domain, "https://cafe-tuyendung.xyz/form")
    ]
    assert verdict.risk == "medium" and verdict.floor == "medium" and verdict.unchecked_links == ()
    assert checker.recheck(verdict, "họ nói không thu phí gì cả").resembling == verdict.resembling
    said = verdict_for_person(templates, verdict, "webchat")
    assert "⛔" not in said and "đã được báo là của kẻ tuyển dụng lừa đảo" in said
    assert f'Trang "{domain}" có tên gần giống trang "https://cafe-tuyendung.xyz/form"' in said


@pytest.mark.parametrize(
    "domain",
    [
        "cafe-tuyendung.xyz/other-page",  # the listed domain itself: reported, not resembling
        "cafe.xyz",  # a short name is never compared letter by letter
        "cafe-tuyen.xyz",  # more than one letter apart
        "caphe-sang.vn",
        "y.blogspot.com",  # another site of a shared host a listed site uses
    ],
)
def test_a_listed_domain_itself_and_unrelated_domains_do_not_resemble_it(db, editor, domain):
    editor.add("domain", "cafe-tuyendung.xyz", "NCSC", "2026-02-20", added_by="lan")
    editor.add("domain", "cafe1.xyz", "NCSC", "2026-02-20", added_by="lan")
    editor.add("domain", "x.blogspot.com", "NCSC", "2026-02-20", added_by="lan")
    assert [r for r in KnownScams(db).reports(CAFE_AD.format(domain)) if r.lookalike] == []


def test_a_brands_own_domain_never_resembles_a_listed_lookalike_of_it(db, editor):
    editor.add("domain", "shopeee.vn", "NCSC", "2026-02-20", added_by="lan")
    assert [r.quote for r in KnownScams(db).reports("shopee.vn")] == ["shopee.vn"]  # the list alone would say so
    templates, _ = load_templates(ROOT / "content")
    checker = OfferChecker(templates.content, learned="hand", known=KnownScams(db).reports)
    assert checker.check("Mua hàng tại shopee.vn, giao tận nơi").resembling == ()


def test_a_removed_domain_is_no_longer_resembled(db, editor):
    entry = editor.add("domain", "cafe-tuyendung.xyz", "NCSC", "2026-02-20", added_by="lan")
    editor.remove(entry.id, removed_by="minh")
    assert KnownScams(db).reports(CAFE_AD.format("cafe-tuyendung.top")) == ()


def test_a_name_with_a_dot_is_not_a_link_to_open_but_a_written_link_is():
    assert web_links("Siêu thị Co.opmart Quận 7 tuyển thu ngân") == []
    quotes = [c.quote for c in web_links("vào shopee-vn.xyz, bit.ly/abc12 hay https://tuyendung.abcjobs/apply")]
    assert quotes == ["shopee-vn.xyz", "bit.ly/abc12", "https://tuyendung.abcjobs/apply"]
