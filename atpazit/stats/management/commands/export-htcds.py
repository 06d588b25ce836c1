"""``atpazit export-htcds --year YYYY --output FILE --user NAME``: the de-identified case-level
export of a year written to a file, for exports too large for a browser download.

The same generator as the download (``stats.htcds``): the same records, the same
k-generalisation, the same audit event and disclosure-log entries, attributed to ``--user``,
who must hold ``stats.htcds:export``. The file is written beside its final name and moved into
place only when every record passed the schema; on any error no file is left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.accounts.access import acting_on_the_command_line, command_line_actor
from atpazit.lib.errors import ServiceError
from atpazit.stats import htcds


class Command(BaseCommand):
    help = "Write the de-identified case-level export (HTCDS-aligned JSON) of a year to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, help="year the suspicions were raised"
        )
        parser.add_argument(
            "--output", type=Path, required=True, help="file to write ('-': stdout)"
        )
        parser.add_argument(
            "--user", required=True, help="username of the national coordinator exporting"
        )

    def handle(self, *args: Any, year: int, output: Path, user: str, **options: Any) -> None:
        actor = command_line_actor(user)
        if actor is None:
            raise CommandError(f"{user} is not an active user with a membership.")
        if not actor.can(htcds.EXPORT_PERMISSION):
            raise CommandError(f"{user} may not export case-level data (stats.htcds:export).")
        try:
            with acting_on_the_command_line(actor):
                export = htcds.start_htcds_export(actor=actor, year=year)
                if str(output) == "-":
                    for chunk in export.chunks():
                        self.stdout.buffer.write(chunk)  # type: ignore[attr-defined]
                else:
                    _write_atomically(output, export)
        except ServiceError as exc:
            raise CommandError(exc.message or str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        plan = export.plan
        self.stderr.write(
            f"{plan.released} record(s) of {year} written, {plan.withheld} withheld "
            f"(classes under k={plan.k})."
        )


def _write_atomically(output: Path, export: htcds.HtcdsExport) -> None:
    directory = output.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=".htcds-", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in export.chunks():
                file.write(chunk)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
