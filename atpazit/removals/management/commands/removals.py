"""``atpazit removals import-manifest`` and ``atpazit removals sync-conflicts``.

Both go through the same services as the web pages, so the I1 guard applies here too: a held
person cannot reach a manifest from the command line either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from atpazit.accounts.access import Actor, acting_on_the_command_line, command_line_actor
from atpazit.lib.errors import ServiceError
from atpazit.removals.conflicts import sync_conflict_escalations
from atpazit.removals.models import OPEN_STATUSES, RemovalOperation
from atpazit.removals.selectors import get_operation_for_user
from atpazit.removals.services import import_manifest


class Command(BaseCommand):
    help = "Import a manifest file as a user, or re-check blocking conflicts of open operations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import-manifest", help="import a CSV or XLSX manifest")
        importer.add_argument("operation", type=int, help="operation id")
        importer.add_argument("file", type=Path)
        importer.add_argument("--user", required=True, help="username of the case officer")
        sub.add_parser(
            "sync-conflicts",
            help="raise or resolve the conflict escalations of every open operation",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "import-manifest":
            self._import(options["operation"], options["file"], options["user"])
        else:
            self._sync()

    def _import(self, operation_id: int, path: Path, username: str) -> None:
        actor = _actor(username)
        try:
            with acting_on_the_command_line(actor):
                operation = get_operation_for_user(actor, operation_id, write=True)
                result = import_manifest(
                    actor=actor, operation=operation, data=path.read_bytes(), filename=path.name
                )
        except (ServiceError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except (Http404, PermissionDenied) as exc:
            raise CommandError(f"{username} cannot change operation {operation_id}.") from exc
        for problem in result.problems:
            row = problem.row if problem.row is not None else "-"
            self.stderr.write(f"row {row}, column {problem.column or '-'}: {problem.message}")
        if not result.ok:
            raise CommandError(f"Nothing imported: {len(result.problems)} problem(s).")
        self.stdout.write(f"{result.added} person(s) added to operation {operation_id}.")

    def _sync(self) -> None:
        raised = resolved = 0
        for operation in RemovalOperation.objects.filter(status__in=OPEN_STATUSES):
            result = sync_conflict_escalations(operation=operation)
            raised, resolved = raised + result.raised, resolved + result.resolved
        self.stdout.write(f"{raised} escalation(s) raised, {resolved} resolved.")


def _actor(username: str) -> Actor:
    actor = command_line_actor(username)
    if actor is None:
        raise CommandError(f"{username} is not an active user with a membership.")
    return actor
