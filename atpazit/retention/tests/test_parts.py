"""Every kind of record that belongs to a case has a line in ``retention/parts.py``: a new model
about a person cannot be forgotten by the purge. A part kept as it is holds nothing encrypted
(no personal data), except the one erased separately."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from atpazit.audit.models import Disclosure
from atpazit.cases.models import IdentityDecision, Person
from atpazit.lib.fields import EncryptedTextField
from atpazit.notifications.models import OutgoingEmail
from atpazit.retention import schedule
from atpazit.retention.models import LegalHold, PurgedCase
from atpazit.retention.parts import KEEP, PARTS

# Models that refer to a case but are no part of it, and why.
NOT_PARTS: dict[type[models.Model], str] = {
    PurgedCase: "the purge's own record that a case was anonymised",
    LegalHold: "stops the purge; a reason code, no personal data",
    Disclosure: "the disclosure log, part of the audit trail, which is kept (I7)",
    OutgoingEmail: "its own period (outgoing_email); no data about persons, only a link",
}


def _refers_to(model: type[models.Model], targets: set[type[models.Model]]) -> bool:
    for field in model._meta.get_fields():
        relation = isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete
        if relation and field.related_model in targets:
            return True
    return any(field.name == "case_number" for field in model._meta.concrete_fields)


def _models_of_a_case() -> set[type[models.Model]]:
    found: set[type[models.Model]] = {Person}
    ours = [model for model in apps.get_models() if model.__module__.startswith("atpazit.")]
    while True:
        more = {model for model in ours if model not in found and _refers_to(model, found)}
        if not more:
            return found
        found |= more


def test_every_model_of_a_case_has_a_part_or_a_reason() -> None:
    parts = {part.model for part in PARTS}
    missing = {
        model._meta.label for model in _models_of_a_case() if model not in parts | set(NOT_PARTS)
    }
    assert missing == set()


def test_a_part_kept_as_it_is_holds_nothing_encrypted() -> None:
    encrypted = {
        part.model._meta.label
        for part in PARTS
        if part.action == KEEP
        and part.model is not IdentityDecision  # its reason: erased once both are anonymised
        and any(isinstance(f, EncryptedTextField) for f in part.model._meta.concrete_fields)
    }
    assert encrypted == set()


def test_every_part_follows_a_row_of_the_schedule_with_a_period() -> None:
    assert {part.record_type for part in PARTS} <= {
        record.code for record in schedule.SCHEDULE if record.setting
    }
