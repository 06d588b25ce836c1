"""``atpazit tick``: fire due deadlines, retry failed e-mails, delete expired sessions and run the
jobs apps registered (``lib.registry.TICK_JOBS``: the daily retention purge). Run it
every minute from cron or a systemd timer (see docs/operations.md), or with ``--every 60`` as a
simple loop."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from atpazit.accounts.passwords import retry_unsent_password_links
from atpazit.accounts.sessions import clear_expired_sessions
from atpazit.deadlines.services import tick
from atpazit.lib.registry import TICK_JOBS
from atpazit.notifications.tasks import retry_queued_emails


class Command(BaseCommand):
    help = (
        "Fire due deadlines (escalations, reminders), re-queue failed e-mails and delete "
        "expired sessions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every N seconds (0: run once)"
        )

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        while True:
            fired = tick()
            retried = retry_queued_emails() + retry_unsent_password_links()
            clear_expired_sessions()
            for name, job in TICK_JOBS:
                if started := job():
                    self.stdout.write(f"tick: {name}: {started} started")
            if any(fired.values()) or retried or not every:
                self.stdout.write(
                    f"tick: {fired['escalated']} escalated, {fired['reminded']} reminded, {retried} e-mails retried"
                )
            if not every:
                return
            time.sleep(every)
