"""``atpazit purge``: anonymise or delete what the retention schedule says is due.

Without options it is a dry run: it prints, per record type, how many records would be
anonymised or deleted, and how many cases past their period are kept and why (counts only, never
a name or a case number), and changes nothing. ``--apply`` purges, batch by batch, each batch in
one transaction and audited (docs/data-retention.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.lib.errors import ServiceError
from atpazit.retention import schedule, services
from atpazit.retention.models import PurgeRun


class Command(BaseCommand):
    help = "Purge records past their retention period (a dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help="count what would be purged and change nothing (the default)",
        )
        mode.add_argument("--apply", action="store_true", help="anonymise and delete for real")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.BATCH_SIZE,
            help="persons per transaction (default %(default)s)",
        )

    def handle(self, *args: Any, apply: bool, batch_size: int, **options: Any) -> None:
        try:
            run = services.purge(apply=apply, batch_size=max(1, batch_size))
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(report(run))


def report(run: PurgeRun) -> str:
    """The run's counts as lines of text: codes and numbers only."""
    lines = [
        "applied:" if run.mode == PurgeRun.Mode.APPLY else "dry run, nothing changed; would purge:"
    ]
    for record in schedule.SCHEDULE:
        if record.days is None:
            lines.append(f"  {record.code}: kept (no period)")
            continue
        lines.append(
            f"  {record.code} ({record.days} days, {record.action}): {run.counts.get(record.code, 0)}"
        )
    details = {code: n for code, n in run.counts.items() if "." in code}
    for code, count in sorted(details.items()):
        lines.append(f"    {code}: {count}")
    if run.kept:
        kept = ", ".join(f"{reason} {count}" for reason, count in sorted(run.kept.items()))
        lines.append(f"  cases past the earliest cutoff kept: {kept}")
    return "\n".join(lines)
