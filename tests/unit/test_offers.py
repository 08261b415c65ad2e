import json

import pytest
from support import ROOT
from support.commands import bot_command

from bot.content import load_templates
from bot.offers import HIGH, LOW, MEDIUM, UNCLEAR, OfferChecker
from bot.offers.money import find_pay
from nlu.normalise import normalise_with_origin

RATES = {"usd": 25000, "yen": 170}
FLAGGED = (MEDIUM, HIGH)


@pytest.fixture(scope="module")
def checker():
    templates, problems = load_templates(ROOT / "content")
    assert not problems
    return OfferChecker(templates.content)


def signs(verdict):
    return {s.id for s in verdict.signs}


# --- what a case asserts, said once ----------------------------------------------------------
# Each helper checks one offer and, when it fails, says the offer's text, what was expected and
# what the checker found instead.


def missed(expected, text, verdict):
    found = f"{verdict.risk} (floor {verdict.floor}) with signs {sorted(signs(verdict))}"
    return f"{text!r}: expected {expected}, the checker found {found}"


def assert_flagged_with(checker, text, sign):
    """The offer shows `sign` and is flagged: medium or high."""
    verdict = checker.check(text)
    assert sign in signs(verdict) and verdict.risk in FLAGGED, missed(f"sign {sign}, medium or high", text, verdict)
    return verdict


def assert_not_flagged(checker, text, without=()):
    """The offer is not flagged (low or unclear) and shows none of the signs `without`."""
    verdict = checker.check(text)
    assert not signs(verdict) & set(without) and verdict.risk not in FLAGGED, missed(
        f"none of the signs {sorted(without)}, low or unclear", text, verdict
    )
    return verdict


def assert_without(checker, text, sign):
    """The offer does not show `sign`, whatever its risk."""
    verdict = checker.check(text)
    assert sign not in signs(verdict), missed(f"no sign {sign}", text, verdict)
    return verdict


def assert_never_below_medium_with(checker, text, sign):
    """The offer shows `sign`, and that sign keeps it at medium at least, whatever is answered later."""
    verdict = checker.check(text)
    assert sign in signs(verdict) and verdict.floor == MEDIUM, missed(f"sign {sign}, floor medium", text, verdict)
    return verdict


# --- naming a table's cases --------------------------------------------------------------------
# In the tables below, a group's name says what its offers show: it is each case's pytest id
# (numbered when the group has several), so a failing case is named by what it was to show.


def named(why, rows):
    """pytest cases from `rows` (tuples of a case's values), each with `why` as its id."""
    return [pytest.param(*row, id=why if len(rows) == 1 else f"{why} {n}") for n, row in enumerate(rows, 1)]


def cases(why, shared, *texts):
    """A group of offers' texts that share one expectation (a sign, or the signs they must not show)."""
    return named(why, [(text, shared) for text in texts])


def offers(why, *texts):
    """A group of offers' texts for a one-column table, held to its test's one expectation."""
    return named(why, [(text,) for text in texts])


# --- reading pay --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, monthly_millions",
    [
        ("lương 8-10 triệu/tháng", 10),
        ("15tr", 15),
        ("15 củ", 15),
        ("500k/ngày", 13),
        ("1.200 USD", 30),
        ("1500$", 37.5),
        ("2k đô", 50),
        ("lương nghìn đô", 25),
        ("20 triệu/tháng", 20),
        ("$1500", 37.5),
        ("150.000 yên/tháng", 25.5),
        ("hàng chục triệu đồng", 20),
        ("7,8 – 10,4 triệu đồng", 10.4),
        ("lg 7tr5", 7.5),  # teencode: the digit after the unit is its fraction
        ("1k5 đô", 37.5),
    ],
)
def test_pay_in_every_common_form_becomes_dong_per_month(typed, monthly_millions):
    [pay] = find_pay(normalise_with_origin(typed), RATES)
    assert pay.monthly_vnd == pytest.approx(monthly_millions * 1_000_000)


@pytest.mark.parametrize(
    "typed, period",
    [
        ("mỗi ngày chỉ 2-3 tiếng là nhận được 300 nghìn", "day"),
        ("mỗi ngày kiếm 1-3 triệu", "day"),
        ("đi làm 8 tiếng mỗi ngày, lương 8 triệu", "month"),
        ("co xe dua di lam hang ngay, luong 7-9 trieu", "month"),
    ],
)
def test_a_day_said_before_the_amount_is_its_period_unless_no_day_could_pay_it(typed, period):
    [pay] = find_pay(normalise_with_origin(typed), RATES)
    assert pay.period == period


def test_pay_per_piece_is_not_monthly_pay():
    [pay] = find_pay(normalise_with_origin("1.000 đồng/chiếc"), RATES)
    assert pay.period == "piece" and pay.monthly_vnd is None


@pytest.mark.parametrize(
    "typed, monthly_millions",
    [
        ("làm 10 ngày Tết, mỗi ngày 1 triệu", 10),
        ("cần người trông trẻ 7 ngày lễ, mỗi ngày 600 nghìn", 4.2),
        ("mỗi ngày 1 triệu", 26),
        ("chỉ cần làm 3 ngày, mỗi ngày nhận 3 triệu", 78),  # not a holiday: judged as a month of such days
    ],
)
def test_a_days_rate_for_a_holiday_stint_pays_that_stint_not_a_month(typed, monthly_millions):
    [pay] = find_pay(normalise_with_origin(typed), RATES)
    assert pay.period == "day" and pay.monthly_vnd == pytest.approx(monthly_millions * 1_000_000)


# --- whole verdicts -----------------------------------------------------------------------------


def test_scam_compound_lure_is_high_risk_with_the_offers_own_words(checker):
    verdict = checker.check(
        "Tuyển gấp nhân viên nhập liệu làm việc tại Campuchia, lương 1.500 USD/tháng, bao vé máy bay, "
        "bao ăn ở, không cần kinh nghiệm. Liên hệ telegram @tuyendung_cpc"
    )
    assert verdict.risk == HIGH
    assert {"easy_high_pay", "risky_destination", "travel_paid", "chat_only_contact"} <= signs(verdict)
    evidence = {s.id: s.evidence for s in verdict.signs}
    assert "1.500 USD" in evidence["easy_high_pay"] and "Campuchia" in evidence["risky_destination"]


def test_same_lure_typed_without_diacritics_and_in_teencode(checker):
    verdict = checker.check(
        "tuyen gap nv nhap lieu lam viec tai cam, lg 1500$/thang, bao an o, ko can kn, ib tele @tuyendung_cpc"
    )
    assert verdict.risk == HIGH


@pytest.mark.parametrize(
    "ordinary",
    [
        "Quán cafe tuyển nhân viên phục vụ part-time, không cần kinh nghiệm, lương 25k/giờ, địa chỉ 12 Nguyễn Trãi, Hà Nội.",
        "Công ty TNHH ABC tuyển lập trình viên Java trưởng nhóm, lương 40-60 triệu, làm việc tại tòa nhà Keangnam, Hà Nội.",
        "Tuyển gấp 50 công nhân may, bao ăn ở, làm việc tại khu công nghiệp Tân Bình, lương 8-10 triệu.",
        "Tuyển thực tập sinh kỹ năng đi Nhật Bản qua công ty được cấp phép, lương 150.000 yên/tháng, hợp đồng 3 năm.",
    ],
)
def test_ordinary_ads_with_one_indicator_are_not_flagged(checker, ordinary):
    assert checker.check(ordinary).risk == LOW


def test_pay_is_judged_against_the_job_and_the_place(checker):
    it_lead = checker.check(
        "Tuyển trưởng nhóm lập trình (IT lead) tại Hà Nội, lương 20 triệu/tháng, yêu cầu 5 năm kinh nghiệm"
    )
    data_entry = checker.check("Tuyển nhân viên nhập liệu tại Campuchia, lương 1.500 USD/tháng")
    assert "easy_high_pay" not in signs(it_lead)
    assert "easy_high_pay" in signs(data_entry)


def test_signs_together_count_more_than_apart(checker):
    together = checker.check("Tuyển nhân viên nhập liệu tại Campuchia, lương 1.500 USD/tháng")
    apart = sum(checker.signs[s.id].weight for s in together.signs)
    assert {"easy_high_pay", "risky_destination"} <= signs(together)
    assert together.score > apart


def test_too_short_or_not_an_offer_is_unclear(checker):
    assert checker.check("chào bạn").risk == UNCLEAR
    assert checker.check("Hôm nay trời đẹp quá, mình đi chơi công viên với bạn bè nhé").risk == UNCLEAR


def test_a_request_to_check_is_not_itself_an_offer(checker):
    assert checker.check("check giúp mình cái tin tuyển dụng này với").risk == UNCLEAR


def test_guaranteed_daily_income_for_a_few_hours_at_home_is_flagged(checker):
    verdict = checker.check("Việc làm tại nhà ổn định, ngày làm chỉ 2-3 tiếng là nhận được từ 300 đến 500.000 đồng")
    assert verdict.risk in FLAGGED


@pytest.mark.parametrize(
    "offer, flagged",
    [
        ("Tuyển nam nữ đi Đài Loan làm nhà máy, không cần kinh nghiệm, lương 20 triệu", True),
        ("Tuyển nhân viên nhà máy ở Bình Dương, không cần kinh nghiệm, lương 8 triệu", False),
        ("Tuyển thực tập sinh kỹ năng đi Nhật qua công ty được cấp phép, không yêu cầu kinh nghiệm", False),
    ],
)
def test_a_mild_sign_weighs_more_abroad_unless_through_a_licensed_channel(checker, offer, flagged):
    assert (checker.check(offer).risk in FLAGGED) == flagged


# --- a sign shown, or its words read in another sense -------------------------------------------


@pytest.mark.parametrize(
    "lure, sign",
    [
        *cases(
            "slang for Cambodia is a destination",
            "risky_destination",
            "a oi em dang o cam, ben nay tuyen nguoi lam van phong luong 1500$",
            "co viec o cpc cho ban, luong 20 trieu, lo ve xe",
            "Sang bên kia làm chăm sóc khách hàng, lương 25 triệu, có người đón",
            "cu di qua tay ninh roi se co nguoi dua di lam, luong 20 trieu",
            "Em qua Cam làm với chị, việc nhẹ, lương 30 triệu",
            "can nguoi qua cam lam viec game, luong 1200 do",
        ),
        *cases(
            "going to China to work still counts",
            "risky_destination",
            "Tuyển người sang Trung Quốc làm việc, bao ăn ở, lương 20 triệu, có người đón",
        ),
        *cases(
            "a ticket paid typed without diacritics is still travel paid",
            "travel_paid",
            "sang dai loan lam xuong, bao ve xe di ve, luong 25 trieu",
        ),
        *cases(
            "a job given without any screening is flagged with another sign",
            "hired_without_screening",
            # Hired with no screening, for a job anyone can do or at a pay that is the lure.
            "Tuyển nhân viên bán hàng, không cần kinh nghiệm, không cần phỏng vấn, nhắn tin là nhận",
            "tuyen nv van phong, luong cao, khong can phong van, di lam luon",
            "Cần người trực page, không qua phỏng vấn, thu nhập hàng chục triệu",
        ),
        *cases(
            "paid carrying of someone else's goods or work on a cannabis farm is flagged",
            "illegal_work",
            "Bạn chỉ cần xách hộ mấy thùng hàng qua cửa khẩu, trả công 3 triệu mỗi chuyến",
            "Có người nhờ mang giúp một vali về nước, được trả 15 triệu",
            "Sang Anh làm ở trang trại cần sa, bao ăn ở, lương 2.000 bảng",
        ),
        *cases(
            "a promise of a quick departure abroad is flagged",
            "quick_departure",
            "Đi Hàn Quốc làm nhà máy, không cần thi tiếng, lương 35 triệu",
            "Tuyển lao động đi Nhật, bay trong vòng 15 ngày, lương 30 triệu",
        ),
        *cases(
            "placing orders for commission is still a task scam",
            "online_tasks",
            "Việc online: đặt đơn trên app, nhận hoa hồng 15% mỗi lần, làm tại nhà",
        ),
        *cases(
            "switching visa there or going back despite a ban is an irregular departure",
            "irregular_departure",
            "Sang Nhật bằng visa du lịch, bên đó công ty sẽ chuyển sang visa lao động cho bạn, lương 40 triệu",
            "Đi Đức bằng visa thương mại rồi làm việc ở nhà hàng, lương 2.000 euro",
            "Anh lo được cho em sang lại Hàn làm việc dù đang bị cấm nhập cảnh, chi phí thương lượng",
        ),
        *cases(
            "standing as a company director for someone is flagged",
            "bank_account_for_others",
            "Cần người đứng tên giám đốc cho công ty của sếp nước ngoài, mỗi tháng trả 5 triệu",
            "Thuê bạn đứng tên doanh nghiệp và mở tài khoản ngân hàng cho công ty, việc nhẹ",
        ),
        *cases(
            "a deposit or a purchase to start work is a fee even without an amount",
            "fees_deposit",
            "Nhận thêu tranh tại nhà, chỉ cần đặt cọc là xưởng gửi nguyên liệu về, trả công theo bức",
            "Tuyển nhân viên bán hàng, vào làm phải mua gói sản phẩm của công ty, hưởng hoa hồng",
        ),
        *cases(
            "a stranger who takes you by bus to look for work is a pickup",
            "pickup_arranged",
            "Quen qua mạng, anh ấy hẹn ra bến xe rồi cùng bắt xe lên Hà Giang tìm việc, lương 8 triệu",
        ),
        *cases(
            "children taken to the city to sell is flagged",
            "exploited_vendors",
            "Chú đưa các cháu lên thành phố bán vé số, lo ăn ở, mỗi tháng gửi về cho gia đình 1 triệu",
        ),
        *cases(
            "a promise of labour migration to the US is flagged",
            "us_labour_promise",
            "Công ty nhận đưa lao động sang Mỹ làm việc 3 năm, bao visa, phí trọn gói",
            "Xuất khẩu lao động đi Mỹ diện lao động định cư, lương 3.000 USD",
        ),
        *cases(
            "a pay sentence does not end at the dot of a number",
            "work_from_home_easy",
            "Tìm người đọc tiểu thuyết thu âm gửi lại, trả 200.000 - 400.000 đồng/ngày",
        ),
        *named(
            "each family of the anti-scam guidance is caught",
            [
                ("Nhận hàng về nhà đóng gói tại nhà, không cần kinh nghiệm, làm lúc rảnh", "home_piecework"),
                ("Tải app về, bỏ ít vốn là có lãi mỗi ngày, làm trên điện thoại", "small_capital"),
                ("Tuyển mẫu nhí chụp ảnh quảng cáo cho bé 3-10 tuổi, thù lao hấp dẫn", "child_model"),
                ("Đi làm nhớ mang theo căn cước bản gốc để công ty giữ, lương 9 triệu", "documents_retained"),
                (
                    "Không cần giấy tờ gì, ra bến xe sẽ có người đón đưa qua bên kia làm, lương 20 triệu",
                    "no_papers_pickup",
                ),
                (
                    "Nhận linh kiện về lắp ráp đồ chơi tại nhà, trả công theo sản phẩm, không cần kinh nghiệm",
                    "home_piecework",
                ),
                ("nhan tam tre ve dong goi tai nha, lam luc ranh", "home_piecework"),
                ("Mỗi ngày chỉ cần bỏ ra 2-3 tiếng rảnh là có 300 nghìn, làm trên điện thoại", "daily_income_promise"),
                ("Tuyển người viết bài bình luận sản phẩm, trả 10 nghìn mỗi bài, làm trên điện thoại", "online_tasks"),
                (
                    "Ngân hàng tuyển giao dịch viên, sơ tuyển online trong nhóm Telegram, tải phần mềm về máy",
                    "online_tasks",
                ),
                ("trung tam viec lam dam bao co viec, nop 1 trieu tien xin viec", "fees_deposit"),
                ("Trung tâm chị việc gì cũng có, chỉ cần đóng phí giới thiệu là đi làm ngay", "job_guaranteed"),
                ("Khi đi nhận việc nhớ mang theo căn cước công dân bản gốc nộp cho chủ", "documents_retained"),
                ("di lam khong phai mang theo giay to gi, ra ben xe co nguoi don", "no_papers_pickup"),
                ("Cần người đi tàu cá dài ngày, ứng trước 5 triệu, chủ tàu lo ăn ở", "remote_hard_labour"),
                ("co co lao dong ru len Dak Lak hai ca phe, luong 4 trieu, bao an o", "remote_hard_labour"),
                ("Người quen qua mạng giới thiệu việc bán hàng ở Hà Nội, lương 20 triệu", "introduced_by_acquaintance"),
                ("Lazada thuê người xử lý đơn tồn, 300-500k một ngày, ib zalo", "impersonated_brand"),
                ("Tuyển người nhập số liệu trên điện thoại, lương 6-9 triệu/tháng", "work_from_home_easy"),
                (
                    "Đi du học vừa học vừa kết hợp làm thêm, thu nhập 30-45 triệu/tháng, bên mình lo chỗ ăn ở",
                    "easy_high_pay",
                ),
                ("Tư vấn đi châu Âu làm việc, chi phí thấp, bay trong 2 tháng", "fees_deposit"),
                ("can nguoi ngoi tiep khach o quan, luong 20 trieu", "hostess_work"),
                ("Tuyển tiếp viên karaoke, thu nhập 30 triệu/tháng, không cần kinh nghiệm", "hostess_work"),
                ("Tuyển nhân viên văn phòng làm việc ở nước ngoài, bao ăn ở, bao vé máy bay", "travel_arranged_abroad"),
                ("Chị họ giới thiệu sang Campuchia làm game, lương 1000$", "introduced_by_acquaintance"),
                # One sign of these families is enough for medium on its own.
                ("Có người lạ nhắn tin rủ em lên Tây Nguyên làm, lương 6 triệu", "stranger_contact"),
                ("mot chi o que noi nhan em vao lam phu bep tren thanh pho, an o chu lo", "stranger_contact"),
                ("Chủ xưởng cho ứng trước 3 triệu, làm trừ dần vào lương, lương 6 triệu", "advance_debt"),
                ("lam ray ca phe, luong moi nam 30 trieu, het mua moi tra", "wages_withheld"),
                ("Em thấy tờ rơi dán cột điện tuyển bảo vệ, lương 9 triệu, chỉ có số điện thoại", "job_flyer"),
                ("Ra bến xe sẽ có người đón lên chỗ làm, lương 8 triệu", "pickup_arranged"),
                ("Làm 2 tiếng mỗi ngày, bỏ vốn 500k lãi 100% sau 1 tuần", "small_capital"),
                (
                    "Cần người ra ngân hàng mở tài khoản, xong giao lại điện thoại và mật khẩu, trả 300 nghìn",
                    "bank_account_for_others",
                ),
                ("Tuyen nguoi cho thue tai khoan ngan hang, 1 trieu/thang", "bank_account_for_others"),
                ("Làm rẫy cà phê ở huyện xa, lương 4 triệu, thỏa thuận bằng miệng", "no_written_contract"),
                ("Quan ca phe can nguoi, luong 4 trieu, co nguoi cho den quan", "pickup_arranged"),
                # "chủ" (the boss) is not a negation: "chủ cho mượn trước" is an advance.
                ("Đi biển 6 tháng, chủ cho mượn trước 10 triệu, lương chia theo chuyến", "advance_debt"),
                ("Không cần kinh nghiệm, đóng tiền là có thể đi làm ngay", "fees_deposit"),
                ("Bên em lo hết thủ tục đưa sang Hàn Quốc làm thời vụ, lương 40 triệu", "travel_arranged_abroad"),
                (
                    "Nhận việc xong chỉ cần lo tiền thẻ ra vào và tiền khám sức khỏe là đi làm, lương 7 triệu",
                    "fees_deposit",
                ),
                ("co nguoi hua dua len Lam Dong lam vuon, luong 5 trieu", "pickup_arranged"),
            ],
        ),
        # Issue 12, the misses that recur on every fresh collection, by family: each widened sign with
        # examples written for these tests (with and without diacritics), and ordinary ads that share its words
        # (these are in the next table).
        *named(
            "the recurring families of misses are caught",
            [
                # Fee-taking job centres: money at the office, whatever it is called.
                ("Tuyển thu ngân siêu thị, hôm nào lên văn phòng đóng 300.000 đồng là tuần sau đi làm", "fees_deposit"),
                ("Tuyển bảo vệ tòa nhà, lương 7 triệu, phí đặt chỗ 400 nghìn", "fees_deposit"),
                ("tuyen nv ban hang, phi phong van 100k, co viec ngay", "fees_deposit"),
                ("Làm phục vụ nhà hàng, cần đóng tiền giữ việc 200k, chờ công ty gọi", "fees_deposit"),
                ("Học việc 1 tuần, đóng tiền tài liệu rồi mới được sắp xếp chỗ làm", "fees_deposit"),
                # Paid the same day, right after a short shift.
                ("Tuyển sinh viên phát quà tặng theo ca, 150k mỗi ca, tiền trả sau mỗi ca", "daily_income_promise"),
                ("tuyen ban hang theo ca, tra luong ngay sau moi ca lam", "daily_income_promise"),
                # "No deposit" promised up front, with home work.
                ("Việc làm tại nhà không cọc, lắp ráp đồ chơi lúc rảnh", "no_fee_promise"),
                ("Quán karaoke tuyển nữ, không mất tiền môi giới, ở lại quán", "no_fee_promise"),
                # An amount followed by what it is for.
                ("Tuyển phục vụ, chuyển 200k giữ chỗ trước rồi đi làm", "fees_deposit"),
                ("tuyen nv kho, dong 1tr giu cho", "fees_deposit"),
                # The ID card handed over.
                ("Đến nhận việc thì giao căn cước cho quản lý giữ, lương 8 triệu", "documents_retained"),
                ("di lam thi de lai cmnd cho chi, luong 6 trieu", "documents_retained"),
                # An acquaintance's introduction to a job far away with board.
                (
                    "Chị quen giới thiệu việc phục vụ quán ở Lạng Sơn, lương 15 triệu, bao ăn ở",
                    "introduced_by_acquaintance",
                ),
                # Travel abroad taken care of by someone else, at ordinary pay.
                ("Sang Úc hái nho, bên đó họ lo hết, lương 60 triệu", "travel_arranged_abroad"),
                ("Bạn rủ sang Malaysia làm phục vụ, vé máy bay có người lo, lương 12 triệu", "travel_arranged_abroad"),
                ("Qua Đài Loan làm nhà máy, thu nhập hàng chục triệu mỗi tháng", "vague_high_pay"),
                ("Sang Nhật làm nông trại, không cần biết tiếng, lương 30 triệu", "no_qualifications"),
                ("Sang Ả Rập Xê Út giúp việc nhà, không cần kinh nghiệm, lương 9 triệu", "no_qualifications"),
                ("Có người hứa chở lên Đắk Nông làm, lương 5 triệu", "pickup_arranged"),
                # "Việc nhẹ lương cao" in other words.
                ("Lên thành phố làm, việc không vất vả mà lương cao", "easy_high_pay"),
                ("viec khong nang nhoc ma luong cao, lam o quan", "easy_high_pay"),
                # A few hours a day for a month's pay: the "easy" half of "việc nhẹ lương cao".
                ("Mỗi ngày chỉ làm 1-2 tiếng, thu nhập 6-8 triệu, ai cũng làm được", "easy_high_pay"),
                ("mot ngay chi lam 2 tieng, luong 7 trieu", "easy_high_pay"),
                ("Một ngày chỉ làm từ 2 đến 3 giờ, thu nhập 6 triệu", "easy_high_pay"),
                # A young woman's looks for a café, a karaoke bar, or "high pay".
                ("Tuyển nữ có ngoại hình làm quán cà phê, karaoke", "looks_required"),
                ("Nhà hàng cần nữ phục vụ xinh xắn, lương cao", "looks_required"),
                # Tips are pay: a hostess job promising a million a day in tips.
                ("Quán karaoke cần tiếp viên, không mất phí, tiền bo mỗi ngày 1 triệu", "easy_high_pay"),
            ],
        ),
        *cases(
            "Thailand said short after a going word is a destination",
            "risky_destination",
            "co ng rủ e qua thái làm tiếp thị online lương 1500 đô",
            "tuyen nv di lam ben thai, bao an o, luong 25tr",
        ),
        *cases(
            "a minor for hostess work or a risky place",
            "minor_recruited",
            "Cần 5 bạn nữ 16 tuổi làm tiếp viên quán karaoke, lương 20tr",
            "tuyen nu 17 tuoi qua campuchia lam, bao an o",
        ),
    ],
)
def test_a_lure_shows_its_sign_and_is_flagged(checker, lure, sign):
    assert_flagged_with(checker, lure, sign)


@pytest.mark.parametrize(
    "ordinary, without",
    [
        *cases(
            "Vietnamese places and ordinary duties are not read as signs",
            ("risky_destination", "online_tasks", "impersonated_brand"),
            "Cần tuyển nhân viên bán hàng tại Lào Cai, lương 8 triệu, nghỉ giải lao 30 phút, địa chỉ 12 Hoàng Liên",
            "Tuyen nv ban hang o Cam Ranh, luong 7 trieu, lam ca sang",
            "Mô tả công việc: thực hiện các nhiệm vụ do trưởng phòng giao, báo cáo tuần. Lương 12 triệu.",
            "Tuyển nhân viên chốt đơn cho shop trên Shopee và TikTok, CSKH qua tin nhắn, lương 8 triệu, làm tại văn phòng quận 3",
        ),
        *cases(
            "a security guard typed without diacritics is not travel paid",
            ("travel_paid",),
            # Folded, "bảo vệ" (a guard) is "bao vé" (the ticket paid): only "bao vé" + a ticket word counts.
            "Cong ty tuyen 10 bao ve ca dem, luong 8 trieu, bao an trua, lam tai kho Long Bien",
            "tuyen nv bao ve toa nha, luong 7tr, lh 09xxx",
        ),
        *cases(
            "carrying out duties is not a task scam",
            ("online_tasks",),
            "Kế toán viên: thực hiện các nhiệm vụ kế toán tổng hợp theo phân công, lương 11 triệu",
            "ke toan vien: thuc hien cac nhiem vu ke toan tong hop theo phan cong, luong 11 trieu",
        ),
        *cases(
            "taking or handling customers' orders is not a task scam",
            ("online_tasks",),
            "Quán cơm tuyển nhân viên trực đơn: trả lời tin nhắn đặt đơn của khách, lương 7 triệu",
            "Cửa hàng cần người ghi nhận và xử lý đơn hàng cho khách, lương 8 triệu, làm tại quận 5",
            "Tuyển cộng tác viên bán thực phẩm, thưởng 10% doanh số, thưởng trên mỗi đơn hàng, lương 7 triệu",
        ),
        *cases(
            "an e-commerce sales job is not a borrowed brand",
            ("impersonated_brand", "online_tasks", "chat_only_contact"),
            "Shop mỹ phẩm tuyển nhân viên chốt đơn và CSKH cho gian hàng Shopee, TikTok Shop. Lương 7 triệu + thưởng doanh số, làm tại cửa hàng.",
            "shop my pham tuyen nv chot don, cskh cho gian hang shopee, tiktok shop. luong 7tr + thuong doanh so, lam tai cua hang",
        ),
        *cases(
            "carrying for customers in an ordinary job is not illegal work",
            ("illegal_work",),
            "Khách sạn tuyển nhân viên hành lý, mang hộ hành lý cho khách, lương 6 triệu",
            "Tuyển nhân viên giao hàng, mang hàng đến cho khách, lương 8 triệu, có xe",
        ),
        *cases(
            "a licensed labour export notice with its language course is not a quick departure",
            ("quick_departure",),
            "Công ty được cấp phép tuyển đi Nhật, học tiếng 6 tháng rồi thi, lương 30 triệu, hợp đồng 3 năm",
        ),
        *cases(
            "a holiday job paid by the day is not easy high pay",
            ("easy_high_pay",),
            "Gia đình cần người chăm bà cụ dịp Tết, lương 12 triệu/tháng, làm 10 ngày Tết mỗi ngày 1 triệu",
        ),
        *cases(
            "a deposit a customer pays is not a fee",
            ("fees_deposit",),
            "Tuyển nhân viên tư vấn bất động sản, hỗ trợ khách đặt cọc căn hộ, lương cứng 8 triệu",
            "Tiệm tranh tuyển thợ đóng khung tranh, lương 7 triệu, làm tại tiệm",
        ),
        *cases(
            "Vietnamese places and words with My are not the US",
            ("us_labour_promise",),
            "Công ty xuất khẩu lao động Nhật, văn phòng tại Mỹ Đình, tuyển nhân viên tuyển sinh, lương 10 triệu",
            "Tuyển nhân viên bán mỹ phẩm ở Mỹ Tho, làm việc giờ hành chính, lương 7 triệu",
            # A software house's job at home, its clients in the US.
            "Lập trình viên Java, làm việc trực tiếp với khách hàng ở Mỹ, lương 30-40 triệu, văn phòng quận 1",
        ),
        *cases(
            "where a trading partner is based is not where the work is",
            ("risky_destination",),
            "Tuyển nhân viên xuất nhập khẩu, làm việc với nhà cung cấp tại Trung Quốc, biết tiếng Trung, lương 15 triệu",
        ),
        *cases(
            "an engineer's business trip on a business visa is not an irregular departure",
            ("irregular_departure",),
            "Kỹ sư cầu nối BrSE, cơ hội onsite Nhật Bản, công ty hỗ trợ visa công tác, làm việc tại văn phòng Cầu Giấy",
        ),
        # Ordinary ads that share the words of the signs' families: not flagged, whatever they show.
        *cases(
            "ordinary ads near the new families are not flagged",
            (),
            "Kho hàng KCN Sóng Thần tuyển nhân viên đóng gói, lương 7 triệu, làm ca, có BHXH",
            "Tuyển thợ may làm tại xưởng, nhận hàng về may cũng được, trả theo sản phẩm",
            "Tuyển tài xế tuyến Sài Gòn - Đà Lạt, không cần mang theo xe, lương 12 triệu",
            "Phòng thu tuyển người đọc truyện audio, làm tại studio quận 3, lương 8 triệu",
            "Trung tâm dịch vụ việc làm tổ chức phiên giao dịch việc làm, miễn phí giới thiệu việc làm",
            "Trường nghề tuyển sinh khóa hàn, cam kết có việc làm sau tốt nghiệp",
            "Tuyển giáo viên dạy kèm, mỗi ngày 2 giờ, 200 nghìn một buổi, đến tận nhà học sinh",
            "Cửa hàng điện thoại tuyển kỹ thuật viên sửa điện thoại, lương 9 triệu, địa chỉ 20 Lý Thường Kiệt",
            "Quán cơm tuyển phụ bếp, không cần kinh nghiệm, bao ăn ở, lương 6 triệu",
            "can gap tho phu ho, bao an o tai cong trinh, 400k/ngay",
            "Quán trà sữa tuyển nhân viên part-time, ca 4 tiếng mỗi ngày, 22 nghìn/giờ",
            "Xưởng may tuyển công nhân, có xe đưa đón, không cần kinh nghiệm, lương 7 triệu",
            "Trung tâm tuyển tư vấn viên du học, lương 8-15 triệu, làm tại văn phòng quận 1",
            "Quán karaoke tuyển nhân viên phục vụ phòng, lương 6 triệu, làm ca tối",
            "Showroom ô tô tuyển lễ tân tiếp khách hàng, lương 8 triệu, có BHXH",
            # A shuttle, a pay advance as a benefit, paid leave, a company's promises, a maid wanted: not the families.
            "Xưởng gỗ tuyển công nhân, có xe đưa đón tận nơi, lương 8 triệu, ứng lương giữa tháng",
            "Công ty tuyển nhân viên kho, được tạm ứng lương, lương 8 triệu, địa chỉ KCN Tân Bình",
            "Tuyển phụ bếp, nghỉ phép năm vẫn được trả lương, lương 7 triệu",
            "Công ty hứa hẹn môi trường thăng tiến, lương 9 triệu, không cần kinh nghiệm",
            "Cần tìm một chị giúp việc nhà ở quận 7, lương 8 triệu, nghỉ chủ nhật",
            "Tuyển thuyền viên tàu du lịch trên vịnh Hạ Long, lương 10 triệu, có hợp đồng",
            "Nhà hàng tuyển phục vụ, lương 7 triệu, xe đón nhân viên về sau ca tối",
            "Tuyển tài xế lái xe 7 chỗ, đến đón khách tại sân bay, lương 12 triệu",
            "Tuyển tài xế xe du lịch, được đón khách tại khách sạn, lương 10 triệu",
            # The words of the new families in an ordinary ad's own sense.
            "Yêu cầu: tự tin, không ngại nói chuyện với người lạ, lương 8 triệu",
            "Ứng viên phù hợp sẽ có người gọi lại hẹn phỏng vấn, lương 7 triệu",
            "Tuyển người môi giới bất động sản, hoa hồng cao, giới thiệu khách",
            "Được ứng tiền lương hàng tuần, lương 8 triệu, tuyển công nhân",
            "Đi muộn sẽ bị trừ vào lương, lương 7 triệu, tuyển phục vụ",
            "Trả lương một lần vào ngày 10 hàng tháng, tuyển thu ngân 7 triệu",
            "Tuyển nhân viên phát tờ rơi, 30k/giờ, làm cuối tuần",
            "Tư vấn khách hàng các sản phẩm tiết kiệm sinh lời, lợi nhuận cao, lương 10 triệu",
            "Có xe đưa đi làm hằng ngày, tuyển công nhân may, lương 8 triệu",
            "Tuyển nhân viên kinh doanh, lương cứng 7 triệu, hưởng hoa hồng 5% doanh số",
            "Ngân hàng tuyển giao dịch viên, hướng dẫn khách đổi mật khẩu và mở tài khoản tại quầy, lương 10 triệu",
            "Trung tâm dịch vụ việc làm tỉnh tư vấn và giới thiệu việc làm miễn phí cho người lao động",
            "Sau 2 tháng thử việc được đưa vào làm chính thức, lương 9 triệu",
            "Nhân viên giỏi được đưa lên làm quản lý ca, lương 10 triệu",
            "tuyen tai xe lai xe tai, luong 12 trieu, chay cao toc, co bang C, xe quay lai trong ngay",
            # Hurry and chat contact are mild: an informal shop ad often has both with "no experience".
            "Tuyển gấp nhân viên bán hàng shop quần áo, không yêu cầu kinh nghiệm, lương 6tr + thưởng, liên hệ chị Lan",
            "tuyen gap nv ban hang tap hoa, luong 5tr5, nhan zalo",
        ),
        *cases(
            "ordinary ads with the words of the widened families are not flagged",
            (),
            # "đồng" folded is "đóng": an amount after it is pay, not a fee.
            "Lương 7 triệu đồng, 500.000 đồng phụ cấp ăn trưa, công ty đóng bảo hiểm đầy đủ",
            "luong 7 trieu dong 500k phu cap, dong bhxh day du",
            "Cửa hàng tuyển nhân viên, mang theo căn cước khi đến phỏng vấn, lương 7 triệu",
            "Công ty lo chỗ ở cho công nhân ở xa, lương 8 triệu, làm tại xưởng",
            "Nhân viên bán hàng, trả lương cuối tháng, nghỉ 4 ngày mỗi tháng, lương 6 triệu",
            "Khách sạn tuyển lễ tân, được hưởng tiền tip, lương 7 triệu",
            "Nhà hàng tuyển phục vụ ca tối, hết ca có xe đưa về, lương 6 triệu",
            "Lương 8 triệu, hỗ trợ 1 triệu đặt cọc nhà trọ cho công nhân ở xa",
            "Tuyển lao động đi Canada qua công ty được cấp phép, hợp đồng 2 năm, không yêu cầu kinh nghiệm",
            "Ưu tiên người đã quen việc bán hàng, lương 7 triệu, giới thiệu người quen được thưởng",
            "Khách sạn tuyển lễ tân nữ ngoại hình khá, lương 7 triệu, làm ca",
            "Quán trà sữa cần part-time, chỉ làm 4 tiếng mỗi ngày, 22k/giờ",
            # "No fee" alone is a mild sign, not a warning.
            "Tuyển phục vụ quán cơm, lương 6 triệu, không thu phí",
        ),
        *cases(
            "ordinary ads near the placement and abroad families are not flagged",
            (),
            # Screening said plainly, or one mild sign alone.
            "Cửa hàng tiện lợi tuyển thu ngân ca sáng, lương 6 triệu, không cần phỏng vấn lại nếu đã làm ở chi nhánh khác",
            "Nhà hàng tuyển phục vụ, lương 6 triệu, phỏng vấn trực tiếp tại nhà hàng",
            # Being sent to training at home is not travel abroad.
            "Công ty may tuyển công nhân, được đưa đi đào tạo tay nghề 1 tháng, lương 7 triệu",
            # Several roles at once, by a named employer: ordinary.
            "Siêu thị tuyển 20 nhân viên bán hàng, 5 bảo vệ, 3 thu ngân, lương 6-8 triệu",
        ),
        *cases(
            "a part-time job open from 16 is not flagged for the age alone",
            (),
            "Quán trà sữa tuyển nhân viên part-time từ 16 tuổi, 20k/giờ, làm ca tối",
        ),
        *cases(
            "Thai provinces, attitude and cuisine are not Thailand",
            ("risky_destination",),
            "Tuyển công nhân đi làm tại Thái Bình, lương 8 triệu",
            "tuyen nv qua thai nguyen lam, luong 8tr",
            "Tuyển nhân viên bán hàng, đánh giá qua thái độ làm việc, lương 8 triệu",
            "Nhà hàng món Thái tuyển phụ bếp biết thái rau, lương 7 triệu",
        ),
    ],
)
def test_an_ordinary_ad_is_not_flagged_nor_read_as_the_signs_its_words_resemble(checker, ordinary, without):
    assert_not_flagged(checker, ordinary, without)


@pytest.mark.parametrize(
    "ordinary",
    [
        *offers(
            "places and words that fold into a country are not a destination",
            "Siêu thị ở Lào Cai tuyển thu ngân, lương 7 triệu, ca 8 tiếng có 30 phút giải lao",
            "sieu thi o lao cai tuyen thu ngan, luong 7 trieu, ca 8 tieng co 30 phut giai lao",
            "Xưởng gỗ tuyển lao động phổ thông, ký hợp đồng lao động, cam kết trả lương đúng ngày 10",
            "xuong go tuyen lao dong pho thong, ky hop dong lao dong, cam ket tra luong dung ngay 10",
            "Vựa trái cây cần người bán quả cam, quýt ở chợ, lương 6 triệu, nghỉ chủ nhật",
            "vua trai cay can nguoi ban qua cam, quyt o cho, luong 6 trieu, nghi chu nhat",
            "Resort ở Cam Ranh tuyển phục vụ buồng phòng, lương 7 triệu, bao ăn trưa",
        ),
        *offers(
            "where a company is based is not where the work is",
            "Công ty thiết bị y tế, doanh nghiệp hàng đầu tại Trung Quốc, tuyển kế toán làm tại Hà Nội, lương 10 triệu",
            "Chi nhánh tập đoàn có trụ sở tại Trung Quốc cần tuyển nhân viên kho ở Bắc Ninh, lương 8 triệu",
        ),
    ],
)
def test_a_place_named_but_not_worked_in_is_neither_a_destination_nor_abroad(checker, ordinary):
    verdict = assert_not_flagged(checker, ordinary, ("risky_destination",))
    assert not verdict.abroad, missed("not abroad", ordinary, verdict)


@pytest.mark.parametrize(
    "ordinary, sign",
    [
        *cases(
            "negated fee is not a fee",
            "fees_deposit",
            "Tuyển cộng tác viên bán hàng, không thu phí, không cần đặt cọc, lương 6 triệu, địa chỉ 5 Lê Lợi",
        ),
        *cases(
            "a cost named but not asked of the applicant is not a fee",
            "fees_deposit",
            "Đơn hàng kỹ sư đi Nhật qua công ty được cấp phép, lương 200.000 yên, chi phí thuê nhà 30.000 yên/tháng",
            "Tuyển thợ may, miễn phí 100% chi phí đào tạo, lương 7 triệu",
        ),
        *cases(
            "a past trip is not a destination",
            "risky_destination",
            "Năm ngoái em đi du lịch Campuchia. Giờ em ứng tuyển kế toán ở Hà Nội, lương 12 triệu.",
        ),
        *cases(
            "a visa office job is not an irregular departure",
            "irregular_departure",
            "Công ty du lịch tuyển nhân viên làm hồ sơ visa thương mại cho khách, lương 9 triệu, làm tại quận 1",
        ),
        *cases(
            "a lottery agent hiring adults is not exploitation",
            "exploited_vendors",
            "Đại lý vé số tuyển nhân viên bán vé số, lương theo doanh số, có chỗ ở cho người ở xa",
        ),
    ],
)
def test_the_words_of_a_sign_in_another_sense_do_not_show_it(checker, ordinary, sign):
    assert_without(checker, ordinary, sign)


def test_slang_for_cambodia_counts_after_a_going_word(checker):
    assert "risky_destination" in signs(checker.check("co viec o cam luong 1500$ bao an o, ib minh"))
    assert "risky_destination" not in signs(checker.check("minh cam on ban, luong 8 trieu o ha noi, tuyen nv kho"))


def test_a_brand_is_borrowed_only_when_the_ad_claims_to_be_it(checker):
    assert "impersonated_brand" in signs(checker.check("Shopee tuyển cộng tác viên làm tại nhà, nhận hoa hồng mỗi đơn"))
    assert "impersonated_brand" not in signs(
        checker.check("Tuyển nhân viên vận hành gian hàng trên Shopee, lương 9 triệu")
    )


def test_a_sentence_ending_in_co_is_not_a_company_named(checker):
    verdict = checker.check("Cần việc không em? Việc gì cũng có. Đi làm giao hàng lương 8 triệu")
    assert "company_named" not in verdict.reassurances and verdict.risk in FLAGGED
    assert "company_named" in checker.check("ABC Co., Ltd tuyển kế toán, lương 10 triệu").reassurances


@pytest.mark.parametrize(
    "ad, chat_only",
    [
        ("Cần tuyển nhân viên chạy quảng cáo Facebook, lương 10 triệu, làm tại văn phòng", False),
        ("can tuyen nhan vien chay quang cao facebook, luong 10 trieu", False),
        ("Tuyển cộng tác viên, lương 8 triệu, nhắn mình qua Zalo nhé", True),
        ("tuyen ctv luong 8tr, nhan zalo minh", True),
    ],
)
def test_staff_is_not_a_contact_verb(checker, ad, chat_only):
    assert ("chat_only_contact" in signs(checker.check(ad))) == chat_only


# --- floors: the lowest risk whatever is answered later -----------------------------------------


@pytest.mark.parametrize(
    "offer",
    [
        "ma no bat dong 500k tien dong phuc",  # a uniform fee typed without diacritics
        "tuyen nv ban hang, luong 6tr, phi dong phuc 300k",
        "Tuyển nhân viên bán hàng, lương 7 triệu, nộp 300 nghìn tiền hồ sơ trước khi nhận việc",
        "Nhận việc ngay, chỉ cần nộp hộ chiếu cho công ty giữ, lương 9 triệu",
        "Tuyển phụ bếp làm việc ở nước ngoài, bao vé máy bay, lương 10 triệu",
        "Tuyển tạp vụ, lương 6 triệu, đặt cọc 1 triệu để giữ chỗ",
        "tuyen tap vu luong 6 trieu, dat coc 1 trieu giu cho",
        "Đến nhận việc thì nộp căn cước gốc cho quản lý giữ, lương 7 triệu",
        "den nhan viec thi nop cccd goc cho quan ly giu, luong 7 trieu",
        "tuyen nv phuc vu o nuoc ngoai, cong ty lo ve may bay, luong 9 trieu",
        "Làm việc ở Nhật Bản qua công ty XKLĐ, phí 120 triệu, bay sau 4 tháng",  # a fee right before its amount
        "di dai loan lam xuong, chi phi 4000 usd, bay nhanh",
    ],
)
def test_a_fee_an_id_handed_over_or_travel_abroad_arranged_is_never_below_medium(checker, offer):
    verdict = checker.check(offer)
    assert verdict.risk in FLAGGED and verdict.floor == MEDIUM, missed("medium or high, floor medium", offer, verdict)


@pytest.mark.parametrize(
    "lure, sign",
    [
        *cases(
            "a share of the first month's pay is a fee with or without a space before the percent",
            "fees_deposit",
            "Trung tâm giới thiệu việc làm, nhận việc thì nộp 30% lương tháng đầu",
            "Trung tâm giới thiệu việc làm, nhận việc thì nộp 30 % lương tháng đầu",
            "trung tam viec lam, nhan viec thi nop 30% luong thang dau",
        ),
        *cases(
            "being taken abroad by the recruiter at ordinary pay is never below medium",
            "travel_arranged_abroad",
            "Sang Ả Rập Xê Út làm giúp việc nhà, lương 9 triệu, sẽ được đưa đi",
            "Có việc bên Malaysia làm phụ bếp, lương 10 triệu, chị sẽ đưa bạn đi",
        ),
    ],
)
def test_a_sign_that_sets_the_floor_keeps_the_offer_at_medium_at_least(checker, lure, sign):
    assert_never_below_medium_with(checker, lure, sign)


def test_a_pickup_arranged_for_work_abroad_is_never_below_medium(checker):
    lure = "Tuyển phụ bếp làm việc ở nước ngoài, ra sân bay sẽ có người đón, lương 10 triệu"
    verdict = assert_never_below_medium_with(checker, lure, "travel_arranged_abroad")
    assert verdict.risk in FLAGGED, missed("medium or high", lure, verdict)


def test_an_amount_paid_with_dong_counts_only_when_written_with_its_diacritics(checker):
    careful = checker.check("Tuyển thu ngân siêu thị, lên văn phòng đóng 300.000 đồng là được đi làm")
    assert "fees_deposit" in signs(careful) and careful.floor == MEDIUM
    folded = checker.check("tuyen thu ngan sieu thi, luong 7 trieu dong 300.000 phu cap")
    assert "fees_deposit" not in signs(folded)


def test_a_floor_survives_a_reassuring_answer(checker):
    verdict = checker.check("Tuyển nhân viên bán hàng, lương 7 triệu, phải đóng 500k tiền đồng phục")
    score, risk = checker.rescore(verdict.score, "company", "yes", floor=verdict.floor)
    assert risk == MEDIUM


# --- follow-up questions and rechecks -----------------------------------------------------------


def test_unclear_middle_offer_asks_about_what_is_missing_and_rescores(checker):
    verdict = checker.check("Bạn ơi sang Thái Lan làm bán hàng không, lương 9 triệu")
    assert verdict.risk in (LOW, MEDIUM) and verdict.questions
    score, risk = checker.rescore(verdict.score, verdict.questions[0].id, "no")
    assert score > verdict.score
    score_yes, _ = checker.rescore(verdict.score, verdict.questions[0].id, "yes")
    assert score_yes < verdict.score


def test_recheck_keeps_the_earlier_signs_and_never_lowers_the_risk(checker):
    earlier = checker.check("Tuyển nhân viên nhập liệu tại Campuchia, lương 1.500 USD/tháng")
    later = checker.recheck(earlier, "cong ty co dia chi ro rang, cong ty TNHH ABC")
    assert later.risk == earlier.risk == HIGH
    assert signs(earlier) <= signs(later)


def test_recheck_with_a_new_fee_raises_a_low_verdict(checker):
    earlier = checker.check("Quán cafe tuyển nhân viên phục vụ, lương 25k/giờ, địa chỉ 12 Nguyễn Trãi, Hà Nội.")
    later = checker.recheck(earlier, "ho bat dong 500k tien dong phuc truoc")
    assert earlier.risk == LOW and later.risk in FLAGGED and "fees_deposit" in signs(later)


def test_recheck_with_an_advance_keeps_the_board_and_raises_the_verdict(checker):
    earlier = checker.check("Nhà hàng ở tỉnh tuyển phụ bếp, bao ăn ở, lương 7 triệu")
    later = checker.recheck(earlier, "chu noi cho ung truoc 2 trieu roi tru dan vao luong")
    assert earlier.risk == LOW and later.risk in FLAGGED
    assert {"travel_paid", "advance_debt"} <= signs(later)


def test_recheck_with_a_destination_weighs_the_role_abroad(checker):
    earlier = checker.check("Tuyển nhân viên chăm sóc khách hàng, lương 12 triệu, bao ăn ở")
    later = checker.recheck(earlier, "ho noi se lam viec o cam")
    assert "risky_destination" in signs(later) and later.abroad and later.risk == HIGH


# --- what the person reads, the command line, the content and the learned model ------------------


def test_the_lowest_verdict_gives_no_reassurance(checker):
    from bot.offers.reply import verdict_for_person

    templates = load_templates(ROOT / "content")[0]
    verdict = checker.check("Tiệm bánh tuyển nhân viên bán hàng ca sáng, lương 6 triệu, địa chỉ 5 Hàng Bông")
    said = verdict_for_person(templates, verdict, "telegram")
    assert verdict.risk == LOW
    assert "✅" not in said and "THẤP" not in said.upper() and "chưa có nghĩa là an toàn" in said


def test_a_quote_two_signs_share_is_shown_once(checker):
    from bot.offers.reply import verdict_for_person

    templates = load_templates(ROOT / "content")[0]
    verdict = checker.check("qua bên kia làm việc, bao ăn ở, vé máy bay họ lo")
    assert {"travel_paid", "travel_arranged_abroad"} <= signs(verdict)  # both quote "bao ăn ở"
    said = verdict_for_person(templates, verdict, "telegram")
    assert said.count('"bao ăn ở"') == 1


def test_check_offer_command_json_and_jsonl():
    offer = "Tuyển nhân viên CSKH làm việc tại Campuchia, lương 1.500 USD, bao ăn ở, liên hệ telegram"
    single = bot_command("check-offer", "--json", stdin=offer)
    assert single.returncode == 0, single.stderr
    result = json.loads(single.stdout)
    assert result["risk"] == HIGH and {"id", "title", "evidence"} <= set(result["signs"][0])
    lines = "\n".join(json.dumps({"text": t}) for t in [offer, "chào bạn", offer]) + "\n"
    many = bot_command("check-offer", "--jsonl", stdin=lines)
    assert many.returncode == 0, many.stderr
    assert [json.loads(row)["risk"] for row in many.stdout.splitlines()] == [HIGH, UNCLEAR, HIGH]
    person = bot_command("check-offer", stdin=offer)
    assert person.returncode == 0, person.stderr
    assert "Nguy cơ CAO" in person.stdout and "111" in person.stdout


def test_content_check_names_a_sign_the_settings_use_but_nobody_wrote(checker):
    import dataclasses

    from bot.content.check import offer_sign_problems
    from bot.content.kinds.offer_checker import Combination

    content = load_templates(ROOT / "content")[0].content
    assert offer_sign_problems(content, ROOT / "content") == []
    settings = dataclasses.replace(
        content.offer_settings,
        combinations=content.offer_settings.combinations + (Combination(("no_such_sign", "abroad"), 1.0),),
    )
    problems = offer_sign_problems(dataclasses.replace(content, offer_settings=settings), ROOT / "content")
    assert [p for _, p in problems] == ["dấu hiệu 'no_such_sign' không có trong warning_signs.yml"]


def test_the_learned_weights_load_and_are_inspectable():
    from bot.offers.learned import load

    model = load()
    assert model is not None and 0 < model.medium < 1
    heaviest = dict(model.heaviest(400))
    assert any(name.startswith("sign:") for name in heaviest)
