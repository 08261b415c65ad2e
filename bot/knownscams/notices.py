"""Telling a reporter their report was confirmed: on their platform, within its messaging window, once.

The notice goes the way staff replies go (bot/handoff/delivery.py): the bot
service triggers an external intent through Rasa, which renders
`utter_report_confirmed` and sends it with the connector the user last used.
A notice is not a person's reply, so it is only sent within a platform's free
window after the user last wrote (Zalo 48 hours, Messenger 24 hours; Telegram
and the web chat have none); past it, it is dropped as expired rather than
paid for or sent under Meta's human-agent tag. A user in an open hand-off
hears it after the case ends: the hand-off loop takes every event until then.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from bot.handoff.connector_tables import last_message_at
from bot.handoff.delivery import Delivery
from bot.handoff.presentation import REPLY_WINDOWS, as_utc
from bot.handoff.worker_queries import open_case_of
from bot.knownscams.reports import NoticeState, ReportSubscription
from bot.store import Database
from contract.names import REPORT_CONFIRMED_INTENT, REPORT_ID_ENTITY

logger = logging.getLogger(__name__)


def due(db: Database) -> list[ReportSubscription]:
    with db.session() as session:
        query = select(ReportSubscription).where(ReportSubscription.notice == NoticeState.DUE.value)
        return list(session.execute(query.order_by(ReportSubscription.id)).scalars())


def window_open(db: Database, subscription: ReportSubscription, now: datetime) -> bool:
    """Whether a message that is not a person's reply may still reach this user for free."""
    window = REPLY_WINDOWS.get(subscription.channel)
    if window is None:
        return True
    wrote = last_message_at(db, subscription.channel, subscription.user_key) or as_utc(subscription.subscribed_at)
    return now < wrote + window[0]


async def deliver_due(db: Database, delivery: Delivery, now: datetime) -> None:
    for subscription in due(db):
        if not window_open(db, subscription, now):
            _mark(db, subscription.id, NoticeState.EXPIRED, now)
            continue
        if open_case_of(db, subscription.user_key) is not None or not delivery.ready(subscription.conversation_id):
            continue
        entities = {REPORT_ID_ENTITY: str(subscription.report_id)}
        if await delivery.deliver(subscription.conversation_id, REPORT_CONFIRMED_INTENT, entities):
            _mark(db, subscription.id, NoticeState.SENT, now)


def _mark(db: Database, subscription_id: int, state: NoticeState, now: datetime) -> None:
    with db.session() as session:
        subscription = session.get(ReportSubscription, subscription_id)
        subscription.notice, subscription.notice_at = state.value, now
