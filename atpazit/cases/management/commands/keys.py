"""``atpazit keys generate`` prints a new field-encryption key; ``atpazit keys rotate``
re-encrypts every encrypted field of every model to the current key (DESIGN §7).

Rotation, step by step: generate a key, add it to ATPAZIT_ENCRYPTION_KEYS under a new id,
make that id ATPAZIT_ENCRYPTION_CURRENT_KEY, restart, run ``keys rotate``, and only then
remove the old key. The command finds encrypted fields in every installed app by their
field class, so a new model with an encrypted field is rotated without changing this file.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models

from atpazit.audit.services import log_event
from atpazit.lib import crypto
from atpazit.lib.fields import EncryptedTextField, rotate_model_field


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with its encrypted fields, across all installed apps."""
    found = []
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return sorted(found, key=lambda item: item[0]._meta.label)


class Command(BaseCommand):
    help = "Encryption keys: 'generate' prints a new key, 'rotate' re-encrypts to the current key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate", help="print a new random key for ATPAZIT_ENCRYPTION_KEYS")
        rotate = sub.add_parser(
            "rotate", help="re-encrypt every encrypted value to the current key"
        )
        rotate.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(crypto.generate_key())
            self.stderr.write(
                "Add it to ATPAZIT_ENCRYPTION_KEYS under a new key id, make that id "
                "ATPAZIT_ENCRYPTION_CURRENT_KEY, restart, then run `atpazit keys rotate`."
            )
            return
        self._rotate(options["batch_size"])

    def _rotate(self, batch_size: int) -> None:
        keyring = crypto.Keyring.from_settings()
        counts: dict[str, int] = {}
        try:
            for model, names in encrypted_fields():
                counts[model._meta.label] = sum(
                    rotate_model_field(model, name, batch_size=batch_size) for name in names
                )
                self.stdout.write(f"{model._meta.label}: {counts[model._meta.label]} re-encrypted")
        except crypto.DecryptionError as exc:
            log_event("keys.rotation_failed", outcome="failure", details={"key": exc.key_id or ""})
            raise CommandError(f"Rotation stopped: {exc}") from exc
        log_event("keys.rotated", details={"key": keyring.current_key_id, "counts": counts})
        total = sum(counts.values())
        self.stdout.write(f"Done: {total} values now under key {keyring.current_key_id!r}.")
