"""``atpazit tick``: fire due deadlines and retry failed e-mails. Run it every minute from cron or
a systemd timer (see docs/operations.md), or with ``--every 60`` as a simple loop."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from atpazit.accounts.passwords import retry_unsent_password_links
from atpazit.deadlines.services import tick
from atpazit.notifications.tasks import retry_queued_emails


class Command(BaseCommand):
    help = "Fire due deadlines (escalations, reminders) and re-queue failed e-mails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every N seconds (0: run once)"
        )

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        while True:
            fired = tick()
            retried = retry_queued_emails() + retry_unsent_password_links()
            if any(fired.values()) or retried or not every:
                self.stdout.write(
                    f"tick: {fired['escalated']} escalated, {fired['reminded']} reminded, {retried} e-mails retried"
                )
            if not every:
                return
            time.sleep(every)
