"""The campaign dashboard in the console: who may open it, what it shows, its CSVs, and no small count anywhere."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert
from support.console import PASSWORD, console_client

from bot.analytics import INDICATORS, Recorder
from bot.analytics.presentation import catalogue
from bot.handoff import cases
from bot.store import Database
from contract.tables import undelivered

NOV = datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)
NOVEMBER = "start=2026-11-01&end=2026-11-30"


def seed(db: Database) -> None:
    """7 people on Telegram check a high-risk offer (4 by screenshot); 2 people on Zalo check one."""
    rec = Recorder(db)
    for n in range(7):
        rec.conversation_started("telegram", f"t{n}", NOV)
        rec.offer_checked("telegram", f"t{n}", "high", "screenshot" if n < 4 else "text", ["fees_deposit"], NOV)
    for n in range(2):
        rec.conversation_started("zalo", f"z{n}", NOV + timedelta(days=1))
        rec.offer_checked("zalo", f"z{n}", "medium", "text", ["fees_deposit"], NOV + timedelta(days=1))
    with db.session() as session:  # what the Zalo connector writes when Zalo refuses a reply
        session.execute(
            insert(undelivered),
            [
                {"platform": "zalo", "user_key": f"z{n % 2}", "staff_reply": False, "reason": "x", "at": NOV}
                for n in range(6)
            ],
        )


@pytest.fixture
def console(tmp_path):
    client = console_client(tmp_path, {"lan": "hotline", "minh": "admin", "thu": "campaign"})
    seed(client.db)
    return client


def log_in(client, name):
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/staff/login").text).group(1)
    return client.post("/staff/login", data={"csrf": token, "name": name, "password": PASSWORD})


def table_of(page: str, indicator: str) -> list[list[str]]:
    section = page.split(f'id="{indicator}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_catalogue_names_every_indicator_once():
    assert list(catalogue()) and set(catalogue()) == set(INDICATORS)
    for entry in catalogue().values():
        assert entry.title and entry.definition and entry.labels and entry.values


def test_a_campaign_account_reaches_the_dashboard_from_its_home_and_sees_the_figures(console):
    assert log_in(console, "thu").headers["location"] == "/staff/reports"  # the review queue: work first
    assert 'href="/staff/analytics"' in console.get("/staff/reports").text
    page = console.get(f"/staff/analytics?{NOVEMBER}")
    assert page.status_code == 200
    assert table_of(page.text, "offers_by_verdict") == [["high", "7", "7"], ["medium", "&lt;5", "&lt;5"]]
    assert table_of(page.text, "offer_inputs") == [["text", "5", "5"], ["screenshot", "&lt;5", "&lt;5"]]
    assert table_of(page.text, "refused_messages") == [["zalo", "assistant", "&lt;5", "&lt;5"]]
    assert page.text.count("<svg") == len(INDICATORS)
    assert "Yêu cầu đang mở" not in page.text  # no inbox link for a campaign account


def test_the_range_and_channel_filters_change_the_figures(console):
    log_in(console, "thu")
    december = console.get("/staff/analytics?start=2026-12-01&end=2026-12-31").text
    assert table_of(december, "offers_by_verdict") == [["Chưa có số liệu trong khoảng này."]]
    telegram = console.get(f"/staff/analytics?{NOVEMBER}&channel=telegram").text
    assert table_of(telegram, "offers_by_verdict") == [["high", "7", "7"]]
    assert console.get("/staff/analytics?start=2026-11-30&end=2026-11-01").status_code == 400
    assert console.get("/staff/analytics?start=2025-01-01&end=2026-11-30").status_code == 400
    assert console.get(f"/staff/analytics?{NOVEMBER}&channel=fax").status_code == 400


def test_each_csv_holds_the_table_as_shown(console):
    log_in(console, "thu")
    response = console.get(f"/staff/analytics/offers_by_verdict.csv?{NOVEMBER}")
    assert response.headers["content-type"].startswith("text/csv")
    assert "offers_by_verdict_2026-11-01_2026-11-30.csv" in response.headers["content-disposition"]
    assert list(csv.reader(io.StringIO(response.text))) == [
        ["verdict", "count", "people"],
        ["high", "7", "7"],
        ["medium", "<5", "<5"],
    ]
    everything = list(csv.DictReader(io.StringIO(console.get(f"/staff/analytics/all.csv?{NOVEMBER}").text)))
    assert {row["indicator"] for row in everything} >= {"offers_by_verdict", "reach_daily", "refused_messages"}
    assert console.get(f"/staff/analytics/nothing.csv?{NOVEMBER}").status_code == 400


def test_hotline_cannot_open_the_dashboard_and_campaign_cannot_open_cases(console):
    case = cases.open_case(console.db, "k" * 32, "zalo:1", "zalo", "danger", "/affirm", [])
    log_in(console, "lan")
    assert console.get("/staff/analytics").status_code == 403
    assert console.get("/staff/analytics/all.csv").status_code == 403
    console.cookies.clear()
    log_in(console, "thu")
    for path in ("/staff/", "/staff/api/inbox", "/staff/closed", f"/staff/cases/{case.id}", "/staff/admin/audit"):
        assert console.get(path).status_code == 403, path
    token = re.search(r'name="csrf" value="([^"]+)"', console.get("/staff/analytics").text).group(1)
    assert console.post(f"/staff/cases/{case.id}/claim", data={"csrf": token}).status_code == 403
    assert console.post("/staff/logout", data={"csrf": token}).status_code == 303


def test_an_admin_sees_both(console):
    log_in(console, "minh")
    assert console.get("/staff/analytics").status_code == 200
    assert console.get("/staff/").status_code == 200


def numbers_below_five(cells):
    small = []
    for cell in cells:
        try:
            value = float(cell)
        except ValueError:
            continue
        if value < 5:
            small.append(cell)
    return small


@pytest.mark.parametrize("channel", ["", "&channel=zalo", "&channel=telegram"])
def test_no_path_shows_a_count_below_five(console, channel):
    """The page's tables, every indicator's CSV and the whole CSV: no cell is a number below 5."""
    log_in(console, "thu")
    query = NOVEMBER + channel
    page = console.get(f"/staff/analytics?{query}").text
    shown = [cell for name in INDICATORS for row in table_of(page, name) for cell in row]
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", page)  # the charts' labels and values
    assert shown and drawn and not numbers_below_five(shown + drawn)
    for name in INDICATORS:
        rows = list(csv.reader(io.StringIO(console.get(f"/staff/analytics/{name}.csv?{query}").text)))
        assert not numbers_below_five(cell for row in rows[1:] for cell in row), name
    everything = csv.DictReader(io.StringIO(console.get(f"/staff/analytics/all.csv?{query}").text))
    assert not numbers_below_five(row["value"] for row in everything)
