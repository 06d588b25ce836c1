"""``atpazit worker``: the background worker (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background task worker (sends e-mails, builds documents)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="process what is queued, then exit"
        )

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        call_command("db_worker", batch=batch, startup_delay=False, interval=1)
