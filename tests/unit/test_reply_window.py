"""What the case page tells staff about each platform's reply window (bot.handoff.presentation.reply_window)."""

from datetime import datetime, timedelta, timezone

from bot.handoff.presentation import CLOSED_WINDOW, FREE, LIMITED, reply_window
from bot.store import Case

WROTE = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def case_on(channel):
    return Case(channel=channel, opened_at=WROTE - timedelta(hours=1), last_user_message_at=WROTE)


def test_zalo_is_free_for_48_hours_then_paid_until_7_days_then_closed():
    case = case_on("zalo")
    assert reply_window(case, WROTE + timedelta(hours=47)).state == FREE
    assert reply_window(case, WROTE + timedelta(hours=49)).state == LIMITED
    assert reply_window(case, WROTE + timedelta(days=7, minutes=1)).state == CLOSED_WINDOW
    assert reply_window(case, WROTE).free_until == WROTE + timedelta(hours=48)


def test_messenger_is_open_for_24_hours_then_only_with_the_human_agent_tag():
    case = case_on("messenger")
    assert reply_window(case, WROTE + timedelta(hours=23)).state == FREE
    assert reply_window(case, WROTE + timedelta(hours=25)).state == LIMITED
    assert reply_window(case, WROTE + timedelta(days=8)).state == CLOSED_WINDOW


def test_telegram_and_the_web_chat_have_no_window():
    assert reply_window(case_on("telegram")) is None and reply_window(case_on("rest")) is None
