"""The contract every process shares: what it claims about the platforms and about itself."""

from telegram.constants import InlineKeyboardButtonLimit, MessageLimit, WebhookLimit

from contract.limits import TelegramLimit


def test_telegram_limits_are_python_telegram_bots_own():
    assert TelegramLimit.MAX_TEXT_LENGTH == MessageLimit.MAX_TEXT_LENGTH
    assert TelegramLimit.MAX_SECRET_TOKEN_LENGTH == WebhookLimit.MAX_SECRET_TOKEN_LENGTH
    assert TelegramLimit.MAX_CALLBACK_DATA_BYTES == InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
