"""``atpazit audit verify``: walk the hash chain and fail, naming the first broken event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.audit.selectors import verify_audit_chain


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks the hash chain and exits non-zero if it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the audit hash chain")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_audit_chain()
        if not result.ok:
            raise CommandError(f"Audit chain BROKEN: {result.message}")
        self.stdout.write(f"Audit chain OK: {result.message}")
