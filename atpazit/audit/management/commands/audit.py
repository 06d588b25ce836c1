"""``atpazit audit``: verify the keyed chain, write and check signed checkpoints of its head.

- ``verify [--checkpoint FILE ...] [--public-key KEY ...]``: walk the chain with the chain keys;
  with checkpoints, also check that the chain still holds each recorded head at its number.
- ``checkpoint [--out FILE]``: verify, then print (or write to a new FILE) a signed checkpoint of
  the head, to be kept in an append-only place outside the database.
- ``anchor``: close an old unkeyed chain (or the chain under a retired key) with the current key.
- ``public-key``: print the public half of the checkpoint signing key, to hand to outsiders.

See docs/operations.md (Audit) and docs/decisions/0005-keyed-audit-chain.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.audit.checkpoints import Checkpoint, CheckpointError, make_checkpoint, read_checkpoints
from atpazit.audit.context import SYSTEM, current_context
from atpazit.audit.keys import public_key_text, signing_key, trusted_public_keys
from atpazit.audit.selectors import chain_head_event, verify_audit_chain
from atpazit.audit.services import anchor_chain, log_event
from atpazit.lib.crypto import KeyConfigurationError


class Command(BaseCommand):
    help = "Audit trail tools: verify, checkpoint, anchor, public-key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the audit chain (and checkpoints)")
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a checkpoint file (one checkpoint per line); may be given more than once",
        )
        verify.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="KEY",
            help="a trusted checkpoint public key (base64), besides the configured ones",
        )
        checkpoint = sub.add_parser("checkpoint", help="write a signed checkpoint of the head")
        checkpoint.add_argument("--out", metavar="FILE", help="a new file (default: stdout)")
        sub.add_parser("anchor", help="close the chain written so far with the current key")
        sub.add_parser("public-key", help="print the checkpoint public key")

    def handle(self, *args: Any, **options: Any) -> None:
        token = current_context.set(SYSTEM)
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except (KeyConfigurationError, CheckpointError) as exc:
            raise CommandError(str(exc)) from None
        finally:
            current_context.reset(token)

    def _verify(self, options: dict[str, Any]) -> None:
        checkpoints = []
        if options["checkpoint"]:
            trusted = trusted_public_keys(options["public_key"])
            for name in options["checkpoint"]:
                checkpoints += read_checkpoints(
                    _read_lines(name), trusted=trusted, source=str(name)
                )
        result = verify_audit_chain(checkpoints)
        if not result.ok:
            raise CommandError(f"Audit chain BROKEN: {result.message}")
        self.stdout.write(f"Audit chain OK: {result.message}")

    def _checkpoint(self, options: dict[str, Any]) -> None:
        signing_key()  # fail before writing anything when it is not configured
        anchor_chain()
        head = chain_head_event()
        if head is None:
            raise CommandError("The audit chain is empty: there is no head to checkpoint.")
        # Verify with the head as a checkpoint, so the head signed is one the walk checked.
        pinned = Checkpoint(
            sequence=head.sequence, hash=head.hash, key_id=head.key_id, signed_by=""
        )
        result = verify_audit_chain([pinned])
        if not result.ok:
            raise CommandError(f"Audit chain BROKEN, no checkpoint written: {result.message}")
        line = make_checkpoint(head)
        if options["out"]:
            try:
                with Path(options["out"]).open("x", encoding="ascii") as out:
                    out.write(line + "\n")
            except FileExistsError:
                raise CommandError(
                    f"{options['out']} exists; a checkpoint never overwrites another"
                ) from None
        else:
            self.stdout.write(line)
        log_event(
            "audit.checkpointed",
            object_type="audit.chain",
            details={"sequence": head.sequence, "key_id": head.key_id},
        )

    def _anchor(self, options: dict[str, Any]) -> None:
        event = anchor_chain()
        if event is None:
            self.stdout.write("The chain is already linked with the current key.")
        else:
            self.stdout.write(f"Anchored: event #{event.sequence} ({event.action}).")

    def _public_key(self, options: dict[str, Any]) -> None:
        self.stdout.write(public_key_text(signing_key().public_key()))


def _read_lines(name: str) -> list[str]:
    try:
        return Path(name).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CheckpointError(f"{name} cannot be read: {exc.strerror}") from None
