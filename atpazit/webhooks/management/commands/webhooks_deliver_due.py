"""``atpazit webhooks_deliver_due``: hand the worker every webhook delivery that is due. The worker
retries on its own (``run_after``); this catches an attempt whose worker stopped half-way. Run it
with the tick (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from atpazit.webhooks.tasks import deliver_due


class Command(BaseCommand):
    help = "Queue the webhook deliveries that are due (a safety net for the worker's retries)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = deliver_due()
        if queued:
            self.stdout.write(f"webhooks: {queued} deliveries queued")
