"""Model fields that encrypt their value in the database (DESIGN §7).

``EncryptedTextField`` and ``EncryptedCharField`` store a ``atpazit.lib.crypto`` token in a
text column and give back ``str`` in Python. ``None`` stays NULL. The empty string is stored
as an empty string, not encrypted: "blank" stays cheap to filter on and reveals nothing that
NULL versus non-NULL would not (lengths already leak through ciphertext size).

The associated data is ``"<app_label>.<model_name>.<field_name>"``. Renaming the app, model
or field therefore makes old values undecryptable: pass ``encryption_context=`` with the old
name to keep reading them, or re-encrypt in a data migration.

Encrypted values cannot be searched: the only lookups allowed are ``isnull`` and ``exact``
against ``""``; anything else raises FieldError (search through ``blind_index`` instead).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import checks, validators
from django.core.exceptions import FieldError
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Exact, IsNull

from atpazit.lib import crypto


class BlankOnlyExact(Exact):
    """``field=""`` is the one equality that works on ciphertext; refuse the rest loudly."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted; it can only be compared with '' "
                "or tested with isnull. Search through a blind index instead."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A TextField whose non-empty values are AES-GCM tokens bound to this column."""

    description = "Encrypted text"

    def __init__(self, *args: Any, encryption_context: str | None = None, **kwargs: Any) -> None:
        self.explicit_context = encryption_context
        self.encryption_context = encryption_context or ""
        super().__init__(*args, **kwargs)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not self.explicit_context:
            meta = cls._meta
            self.encryption_context = f"{meta.app_label}.{meta.model_name}.{self.name}"

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.explicit_context:
            kwargs["encryption_context"] = self.explicit_context
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_not_unique()]

    def _check_not_unique(self) -> list[checks.CheckMessage]:
        # Random nonces make equal plaintexts differ, so a unique constraint would be a lie.
        if not (self.unique or getattr(self, "db_index", False)):  # db_index: not in stubs
            return []
        return [
            checks.Error(
                "Encrypted fields cannot be unique or indexed.",
                hint="Put a unique index on a blind-index column instead.",
                obj=self,
                id="atpazit.E001",
            )
        ]

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return BlankOnlyExact
        raise FieldError(
            f"Lookup {lookup_name!r} is not possible on encrypted field {self.name!r}; "
            "search through a blind index instead."
        )

    def get_transform(self, lookup_name: str) -> Any:
        # No lower(), trim() etc. on ciphertext: refuse them like lookups.
        return None

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value, context=self.encryption_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value, context=self.encryption_context)


class EncryptedCharField(EncryptedTextField):
    """An encrypted single-line value; ``max_length`` limits the plaintext, not the column.

    The column is still text, because the token is longer than the value.
    """

    description = "Encrypted short text"

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(validators.MaxLengthValidator(max_length))

    def formfield(self, **kwargs: Any) -> Any:
        # A one-line input, unlike TextField's textarea.
        defaults = {
            "form_class": forms.CharField,
            "max_length": self.max_length,
            "widget": forms.TextInput,
        }
        return super(models.TextField, self).formfield(**{**defaults, **kwargs})


def rotate_model_field(model: type[models.Model], field_name: str, *, batch_size: int = 500) -> int:
    """Re-encrypt every value of ``model.field_name`` not under the current key.

    Called by the ``atpazit keys rotate`` command. Walks primary keys in order; each batch
    is read with a row lock and rewritten with ``bulk_update`` under its own
    ``transaction.atomic``, so a concurrent edit is never overwritten with an older value and
    an interrupted run can simply be restarted. Returns how many values were re-encrypted.
    Raises DecryptionError (naming the key) if a value cannot be read; earlier batches stay.
    """
    field = model._meta.get_field(field_name)
    if not isinstance(field, EncryptedTextField):
        raise TypeError(f"{model.__name__}.{field_name} is not an encrypted field.")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    keyring = crypto.Keyring.from_settings()
    rotated, last_pk = 0, None
    while True:
        with transaction.atomic():
            rows = _locked_batch(model, field, after_pk=last_pk, size=batch_size)
            if not rows:
                return rotated
            objs = _reencrypted(model, field, rows, keyring)
            model._base_manager.bulk_update(objs, [field.name])
        rotated += len(objs)
        last_pk = rows[-1][0]


def _locked_batch(
    model: type[models.Model], field: EncryptedTextField, *, after_pk: Any, size: int
) -> list[tuple[Any, str | None]]:
    # Select the stored token, not the decrypted value: the token carries its key id.
    token = models.ExpressionWrapper(models.F(field.name), output_field=models.TextField())
    queryset = model._base_manager.select_for_update().order_by("pk").annotate(_token=token)
    if after_pk is not None:
        queryset = queryset.filter(pk__gt=after_pk)
    return list(queryset.values_list("pk", "_token")[:size])


def _reencrypted(
    model: type[models.Model],
    field: EncryptedTextField,
    rows: list[tuple[Any, str | None]],
    keyring: crypto.Keyring,
) -> list[models.Model]:
    # Instances carry only pk and the plaintext; bulk_update encrypts it under the current key.
    objs = []
    for pk, token in rows:
        if token and crypto.needs_rotation(token, keyring=keyring):
            obj = model(pk=pk)
            plaintext = crypto.decrypt(token, context=field.encryption_context, keyring=keyring)
            setattr(obj, field.attname, plaintext)
            objs.append(obj)
    return objs
