"""`python -m bot telegram set-webhook URL`: tell Telegram where to post updates.

Telegram sends TELEGRAM_WEBHOOK_SECRET back with every update (header
X-Telegram-Bot-Api-Secret-Token); the connector (channels/telegram.py) refuses
updates without it. Only messages and button presses are asked for.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

import httpx

ALLOWED_UPDATES = ["message", "callback_query"]
# Bot API setWebhook: secret_token is 1-256 characters, only A-Z, a-z, 0-9, _ and -
# (python-telegram-bot 22.8, telegram/_bot.py `set_webhook`).
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramSetupError(RuntimeError):
    """Telegram refused the request; the message says why, in Telegram's words."""


def set_webhook(url: str, token: str, secret: str, api_base: str = "https://api.telegram.org") -> dict:
    if not url.startswith("https://"):
        raise TelegramSetupError("Telegram only posts to https:// URLs")
    if not SECRET_TOKEN.fullmatch(secret):
        raise TelegramSetupError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ - (try `openssl rand -hex 32`)"
        )
    response = httpx.post(
        f"{api_base.rstrip('/')}/bot{token}/setWebhook",
        json={"url": url, "secret_token": secret, "allowed_updates": ALLOWED_UPDATES},
        timeout=30,
    )
    try:
        answer = response.json()
    except ValueError:
        raise TelegramSetupError(f"Telegram answered HTTP {response.status_code} without JSON") from None
    if not answer.get("ok"):
        raise TelegramSetupError(f"Telegram refused setWebhook: {answer.get('description', response.status_code)}")
    return answer


def add_arguments(subparsers) -> None:
    telegram = subparsers.add_parser("telegram", help="Telegram bot setup")
    commands = telegram.add_subparsers(dest="telegram_command", required=True)
    webhook = commands.add_parser("set-webhook", help="register the webhook URL and secret with Telegram")
    webhook.add_argument("url", help="public https URL ending in /webhooks/telegram/webhook")
    webhook.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "")
    secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
    if not token or not secret:
        print("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first (docs/channels.md).", file=sys.stderr)
        return 2
    try:
        set_webhook(args.url, token, secret, os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org"))
    except (TelegramSetupError, httpx.HTTPError) as error:
        print(f"Webhook not set: {error}", file=sys.stderr)
        return 1
    print(f"Telegram will post updates to {args.url}")
    return 0
