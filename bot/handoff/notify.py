"""Telling staff that a case opened: a Telegram staff group and/or a webhook, retried until it goes.

The notification rows are written in the same transaction as the case, so a
target that is down delays the announcement but never loses the case; the
console shows the case either way. Notices carry the case number and a link,
never anything the user wrote.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from bot.handoff.presentation import as_utc
from bot.settings import Settings
from bot.store import Case, CaseNotification, Database, utcnow

logger = logging.getLogger(__name__)
FIRST_RETRY_SECONDS = 5
LONGEST_RETRY_SECONDS = 15 * 60


class NotificationFailed(RuntimeError):
    def __init__(self, message: str, retry_after: float = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # what the target asked us to wait, in seconds


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 5 s, 10 s, 20 s... at most 15 minutes apart."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS))


def due_notifications(db: Database, now: datetime) -> list[CaseNotification]:
    with db.session() as session:
        return (
            session.execute(
                select(CaseNotification)
                .where(CaseNotification.sent_at.is_(None), CaseNotification.next_attempt_at <= now)
                .order_by(CaseNotification.id)
            )
            .scalars()
            .all()
        )


def unsent_notifications(db: Database, older_than_seconds: float = 60) -> list[CaseNotification]:
    """Announcements still failing after a while: the console warns staff about them."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    with db.session() as session:
        rows = (
            session.execute(
                select(CaseNotification)
                .join(Case, Case.id == CaseNotification.case_id)
                .where(CaseNotification.sent_at.is_(None), Case.opened_at <= cutoff)
            )
            .scalars()
            .all()
        )
        return rows


Notice = dict[str, object]
Sender = Callable[[httpx.AsyncClient, Settings, Notice, str], Awaitable[None]]


async def send_to_telegram(client: httpx.AsyncClient, settings: Settings, notice: Notice, text: str) -> None:
    response = await client.post(
        f"{settings.telegram_api_base}/bot{settings.telegram_bot_token}/sendMessage",
        json={"chat_id": settings.staff_telegram_chat_id, "text": text, "disable_web_page_preview": True},
    )
    answer = _json(response)
    if response.status_code != 200 or not answer.get("ok"):
        retry_after = float((answer.get("parameters") or {}).get("retry_after") or 0)
        raise NotificationFailed(
            f"telegram HTTP {response.status_code}: {str(answer.get('description', ''))[:80]}", retry_after
        )


async def send_to_webhook(client: httpx.AsyncClient, settings: Settings, notice: Notice, text: str) -> None:
    body = json.dumps({**notice, "text": text}, ensure_ascii=False).encode()
    signature = hmac.new(settings.staff_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    response = await client.post(
        settings.staff_webhook_url,
        content=body,
        headers={"Content-Type": "application/json", "X-Signature-256": f"sha256={signature}"},
    )
    if not 200 <= response.status_code < 300:
        raise NotificationFailed(f"webhook HTTP {response.status_code}")


SENDERS: dict[str, Sender] = {"telegram": send_to_telegram, "webhook": send_to_webhook}


async def send_due(
    db: Database, settings: Settings, client: httpx.AsyncClient, render: Callable[[Notice], str], now: datetime
) -> int:
    """One pass over what is due; returns how many went out."""
    sent = 0
    for notification in due_notifications(db, now):
        notice = _notice(db, settings, notification.case_id)
        try:
            await SENDERS[notification.target](client, settings, notice, render(notice))
        except (httpx.HTTPError, NotificationFailed) as error:
            wait = timedelta(seconds=getattr(error, "retry_after", 0))
            _record_failure(db, notification.id, f"{type(error).__name__}: {error}"[:200], now, wait)
            continue
        _record_sent(db, notification.id, now)
        sent += 1
    return sent


def _notice(db: Database, settings: Settings, case_id: int) -> Notice:
    with db.session() as session:
        case = session.get(Case, case_id)
        console = settings.console_url or f"{settings.bot_service_url}/staff"
        return {
            "event": "case_opened",
            "case_number": case.id,
            "reason": case.reason,
            "channel": case.channel,
            "opened_at": as_utc(case.opened_at).isoformat(),
            "link": f"{console}/cases/{case.id}",
        }


def _record_sent(db: Database, notification_id: int, now: datetime) -> None:
    with db.session() as session:
        notification = session.get(CaseNotification, notification_id)
        notification.attempts += 1
        notification.sent_at = now


def _record_failure(db: Database, notification_id: int, error: str, now: datetime, asked_wait: timedelta) -> None:
    with db.session() as session:
        notification = session.get(CaseNotification, notification_id)
        notification.attempts += 1
        notification.last_error = error
        notification.next_attempt_at = now + max(retry_delay(notification.attempts), asked_wait)
        logger.warning(
            "staff notification %s for case %s failed (attempt %s, next in %s): %s",
            notification.target,
            notification.case_id,
            notification.attempts,
            retry_delay(notification.attempts),
            error,
        )


def _json(response: httpx.Response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
