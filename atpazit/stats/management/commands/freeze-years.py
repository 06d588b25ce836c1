"""``atpazit freeze-years``: count the national figures of closed years again and keep them
(ADR 0028). Run it nightly from cron with ``--queue`` (the task worker does the counting), or
without it to count at once. ``--current`` counts the current year's figures at once (``atpazit
tick`` otherwise queues that every ``ATPAZIT_STATS_RECOUNT_MINUTES``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.stats import services, tasks


class Command(BaseCommand):
    help = "Count the statistics of closed calendar years again and keep them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
        parser.add_argument(
            "--queue", action="store_true", help="queue the counting for the task worker"
        )
        parser.add_argument(
            "--current",
            action="store_true",
            help="count the current year's figures now (not the closed years)",
        )

    def handle(
        self, *args: Any, year: list[int] | None, queue: bool, current: bool, **options: Any
    ) -> None:
        if current:
            if year or queue:
                raise CommandError(
                    "--current counts the current year now; leave out --year, --queue"
                )
            counted = services.count_current_year()
            self.stdout.write(f"freeze-years: the current year {counted} counted")
            return
        if queue:
            if year:
                raise CommandError("--queue counts every closed year; leave out --year")
            tasks.freeze_closed_years.enqueue()
            self.stdout.write("freeze-years: queued for the task worker")
            return
        try:
            years = services.freeze_closed_years(years=year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"freeze-years: {len(years)} closed years counted {years}")
