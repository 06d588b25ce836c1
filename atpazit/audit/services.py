"""Writing to the audit trail. Every write and every read of personal data calls ``log_event``."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from atpazit.audit.chain import event_hash
from atpazit.audit.context import current_context
from atpazit.audit.models import AuditEvent, ChainHead


def log_event(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, attributed to the current audit context.

    ``action`` is a dotted code such as ``person.viewed``. ``details`` must hold codes and ids
    only, never names or free text about a person. Runs inside the caller's transaction, so an
    event is kept exactly when the change it describes is kept.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    context = current_context.get()
    with transaction.atomic():
        # Writing the head first takes the write lock on every backend, so appends serialise.
        ChainHead.objects.get_or_create(pk=1)
        ChainHead.objects.filter(pk=1).update(event_count=F("event_count") + 1)
        head = ChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            sequence=head.event_count,
            occurred_at=timezone.now(),
            actor_id=context.actor_id,
            actor_label=context.actor_label,
            organisation_id=context.organisation_id,
            organisation_label=context.organisation_label,
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            outcome=outcome,
            ip_address=context.ip_address,
            details=details or {},
            previous_hash=head.last_hash,
        )
        event.hash = event_hash(head.last_hash, event)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def record_disclosure(
    *,
    from_organisation: Any,
    to_organisation: Any,
    subject: models.Model,
    legal_basis: str,
    purpose: str,
    data_categories: list[str],
    case_number: str = "",
    recorded_by: Any = None,
) -> Any:
    """Log that data about ``subject`` left ``from_organisation`` for ``to_organisation``.

    Every service that shares personal data between organisations calls this in the same
    transaction as the sharing itself (referrals, messages, attachments, notifications).
    """
    from atpazit.audit.models import Disclosure

    disclosure = Disclosure.objects.create(
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        subject=f"{subject._meta.label_lower}:{subject.pk}",
        case_number=case_number,
        legal_basis=legal_basis,
        purpose=purpose,
        data_categories=sorted(data_categories),
        recorded_by=recorded_by,
    )
    log_event(
        "disclosure.recorded",
        obj=disclosure,
        details={
            "legal_basis": legal_basis,
            "to": to_organisation.pk,
            "categories": sorted(data_categories),
        },
    )
    return disclosure
