"""What the bot service does in the background for hand-offs, every couple of seconds.

Announce new cases to staff (retrying failed targets), tell users in danger
whom nobody has claimed in time, and retry staff news that did not reach the
user; and tell reporters whose report was confirmed (bot/knownscams/notices.py).
Each pass works from the database, so a restart loses nothing. Once a day it
also deletes analytics events past their retention and keeps last month's
tallies (bot/analytics/daily.py).
"""

from __future__ import annotations

import asyncio
import logging

import httpx

from bot.analytics.daily import DailyPurge
from bot.content import LiveContent
from bot.handoff import cases, notify
from bot.handoff.delivery import Delivery
from bot.handoff.worker_queries import conversations_with_updates
from bot.knownscams import notices
from bot.settings import Settings
from bot.store import Database, utcnow

logger = logging.getLogger(__name__)
PASS_SECONDS = 2.0
STAFF_NOTICE = "utter_staff_new_case"


async def run_forever(db: Database, settings: Settings, content: LiveContent, delivery: Delivery) -> None:
    retention = DailyPurge(db, settings.analytics_retention_months)
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            try:
                await one_pass(db, settings, content, delivery, client)
            except Exception:  # one bad pass must not stop the next
                logger.exception("hand-off background pass failed")
            try:
                await asyncio.to_thread(retention.run_if_due, utcnow())
            except Exception:  # nor a failed purge: it is tried again the next pass
                logger.exception("analytics retention purge failed")
            await asyncio.sleep(PASS_SECONDS)


async def one_pass(
    db: Database, settings: Settings, content: LiveContent, delivery: Delivery, client: httpx.AsyncClient
) -> None:
    now = utcnow()
    templates = content.templates

    def render(notice: notify.Notice) -> str:
        return templates.render(STAFF_NOTICE, "staff", dict(notice), {})["text"]

    await notify.send_due(db, settings, client, render, now)
    handoff = templates.content.handoff
    if handoff is not None:  # content without handoff.yml sets no time to claim a case in
        cases.mark_unclaimed_notices_due(db, handoff.claim_minutes, now)
    for conversation_id in conversations_with_updates(db):
        if delivery.ready(conversation_id):
            await delivery.deliver(conversation_id)
    await notices.deliver_due(db, delivery, now)
