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

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, User
from atpazit.audit.context import AuditContext, current_context
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
        actor = _actor(user)
        token = current_context.set(
            AuditContext(
                actor_id=actor.user.pk,
                actor_label=f"{actor.user.username} (command line)",
                organisation_id=actor.organisation.pk if actor.organisation else None,
                organisation_label=actor.organisation.name if actor.organisation else "",
            )
        )
        try:
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
        finally:
            current_context.reset(token)
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


def _actor(username: str) -> Actor:
    account = User.objects.filter(username=username, is_active=True).first()
    membership = (
        Membership.objects.filter(user=account, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .first()
        if account
        else None
    )
    if account is None or membership is None:
        raise CommandError(f"{username} is not an active user with a membership.")
    actor = Actor(user=account, membership=membership)
    if not actor.can(htcds.EXPORT_PERMISSION):
        raise CommandError(f"{username} may not export case-level data (stats.htcds:export).")
    return actor
