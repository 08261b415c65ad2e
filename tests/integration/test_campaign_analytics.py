"""Known conversations through the real processes give exactly the expected figures: dashboard, CSV and PDF.

tests/support/campaign.py says what was run; the figures below follow from it.
"""

import csv
import io
import os
import re
import subprocess
import sys

import pytest
from support import ROOT
from support.campaign import PEOPLE, QUIZ
from support.chat import add_staff, staff_client

from bot.store import utcnow

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def campaign(campaign_assistant):
    assert add_staff(campaign_assistant, "thu", role="campaign").returncode == 0
    client = staff_client(campaign_assistant, "thu", home="/staff/analytics")
    return campaign_assistant, client


def today_range():
    today = utcnow().date().isoformat()
    return f"start={today}&end={today}"


def table_of(page: str, indicator: str) -> list[list[str]]:
    section = page.split(f'id="{indicator}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def expected_average(assistant) -> float:
    scores = assistant.campaign.quiz_scores
    return round(sum(100 * score / total for score, total in scores) / len(scores), 1)


def expected_tables(assistant) -> dict[str, list[list[str]]]:
    """What the script must produce, as the page's tables show it ("&lt;5" is the page's "<5")."""
    today = utcnow().date().isoformat()
    people = str(PEOPLE + 1)
    return {
        "reach_daily": [[today, "rest", people]],
        "conversations_started": [["rest", people, people]],
        "offers_by_verdict": [["high", str(PEOPLE), str(PEOPLE)]],
        "offer_inputs": [["text", str(PEOPLE), str(PEOPLE)]],
        "quizzes": [[QUIZ, "5", "5", "5", "5", str(expected_average(assistant))]],
        "handoffs_by_reason": [["danger", "&lt;5", "&lt;5"]],
        "handoff_outcomes": [["referred_hotline", "&lt;5", "&lt;5"]],
        # "held in Cambodia": everyone was given the contacts for danger abroad, the sixth before consenting.
        "referrals_by_situation": [["danger_abroad", people, people]],
        "handoff_times": [
            ["time_to_claim", "&lt;5", "&lt;5", "&lt;5", "&lt;5"],
            ["time_to_first_staff_reply", "&lt;5", "&lt;5", "&lt;5", "&lt;5"],
        ],
        "knowledge_gain": [[QUIZ, "5", str(expected_average(assistant)), "&lt;5", "&lt;5", "&lt;5"]],
        "refused_messages": [["Chưa có số liệu trong khoảng này."]],
    }


def test_the_dashboard_shows_exactly_what_the_conversations_did(campaign):
    assistant, client = campaign
    page = client.get(f"/staff/analytics?{today_range()}")
    assert page.status_code == 200
    for indicator, rows in expected_tables(assistant).items():
        assert table_of(page.text, indicator) == rows, indicator


def test_the_csv_carries_the_same_figures(campaign):
    assistant, client = campaign
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/analytics/offers_by_verdict.csv?{today_range()}").text)))
    assert rows == [["verdict", "count", "people"], ["high", str(PEOPLE), str(PEOPLE)]]
    quizzes = list(csv.DictReader(io.StringIO(client.get(f"/staff/analytics/quizzes.csv?{today_range()}").text)))
    assert [(q["quiz"], q["starts"], q["completions"]) for q in quizzes] == [(QUIZ, "5", "5")]
    handoffs = list(
        csv.reader(io.StringIO(client.get(f"/staff/analytics/handoffs_by_reason.csv?{today_range()}").text))
    )
    assert handoffs == [["reason", "count", "people"], ["danger", "<5", "<5"]]


def test_the_monthly_pdf_carries_the_same_figures(campaign, tmp_path):
    assistant, _ = campaign
    out = tmp_path / "report.pdf"
    month = utcnow().strftime("%Y-%m")
    made = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--month", month, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": assistant.environment()["DATABASE_URL"]},
        timeout=180,
    )
    assert made.returncode == 0, made.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert f"Báo cáo chiến dịch #TrappedInScamCrime — tháng {month}" in " ".join(lines[:3])
    assert f"high {PEOPLE} {PEOPLE}" in lines  # offers_by_verdict's table row
    assert f"text {PEOPLE} {PEOPLE}" in lines
    assert f"rest {PEOPLE + 1} {PEOPLE + 1}" in lines  # conversations started
    assert f"{QUIZ} 5 5 5 5 {expected_average(assistant)}" in lines
    assert "danger <5 <5" in lines
    assert "Định nghĩa:" in text and text.count("Định nghĩa:") >= 15
