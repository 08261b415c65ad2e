"""A scripted set of conversations run through the real processes, and the figures they must produce.

Used by tests/integration/test_campaign_analytics.py (the dashboard, the CSV
and the PDF) and tests/browser/test_dashboard_browser.py (the same figures in
Chromium). Its own assistant and database: the shared assistant's other tests
would add events of their own, and the counts must be exact.

Five people each take the quiz spot_fake_offer to the end (pressing option A),
paste a high-risk offer, and say they are held abroad (a danger referral,
consent not given). A sixth says the same and hands off; a hotline worker
claims the case, replies, and closes it. So the dashboard must show 6 people
reached, 6 conversations, 5 offers "high" by text, 5 quiz starts and
completions, 6 danger referrals, and "<5" for the single hand-off.
"""

import re
from dataclasses import dataclass, field

from support.chat import add_staff, case_of, new_sender, say, staff_client, texts, wait_for

OFFER = (
    "Tuyển nhân viên chăm sóc khách hàng làm việc tại Phnom Penh, lương 1.200 USD/tháng, "
    "bao ăn ở, bao vé máy bay, liên hệ telegram @tuyendung_pp"
)
DANGER = "cuu e voi bi giu o cam"
QUIZ = "spot_fake_offer"
PEOPLE = 5
FINISHED = re.compile(r"Bạn đúng (\d+)/(\d+) câu")


@dataclass
class Campaign:
    people: list[str] = field(default_factory=list)
    handoff_sender: str = ""
    quiz_scores: list[tuple[int, int]] = field(default_factory=list)  # (score, total) each person was told


def take_quiz(assistant, sender) -> tuple[int, int]:
    """Start the quiz and press the first option of every question; the score the assistant announced."""
    replies = say(assistant, sender, f'/start_quiz{{"quiz_id": "{QUIZ}"}}')
    while (finished := FINISHED.search(texts(replies))) is None:
        options = [b["payload"] for b in replies[-1].get("buttons") or [] if "quiz_choice" in b["payload"]]
        assert options, f"neither a question nor the result: {texts(replies)[:200]!r}"
        replies = say(assistant, sender, options[0])
    return int(finished.group(1)), int(finished.group(2))


def run_campaign(assistant) -> Campaign:
    campaign = Campaign()
    for _ in range(PEOPLE):
        sender = new_sender()
        campaign.people.append(sender)
        campaign.quiz_scores.append(take_quiz(assistant, sender))
        assert "Nguy cơ CAO" in texts(say(assistant, sender, OFFER))
        assert "113" in texts(say(assistant, sender, DANGER))
    sender = campaign.handoff_sender = new_sender()
    assert "113" in texts(say(assistant, sender, DANGER))
    say(assistant, sender, "/affirm")
    number = wait_for(lambda: case_of(assistant, sender))[0]
    assert add_staff(assistant, "lan").returncode == 0
    hotline = staff_client(assistant, "lan")
    assert hotline.post(f"/staff/cases/{number}/claim", data={"csrf": hotline.csrf}).status_code == 303
    reply = hotline.post(f"/staff/cases/{number}/reply", data={"csrf": hotline.csrf, "text": "Chào em, chị là Lan."})
    assert reply.status_code == 303
    closed = hotline.post(f"/staff/cases/{number}/close", data={"csrf": hotline.csrf, "outcome": "referred_hotline"})
    assert closed.status_code == 303
    return campaign
