"""Writing to the audit trail. Every write and every read of personal data calls ``log_event``."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from atpazit.audit.chain import event_hash
from atpazit.audit.context import AuditContext, current_context
from atpazit.audit.keys import ChainKeys
from atpazit.audit.models import AuditEvent, ChainHead

KEY_CHANGED = "audit.key_changed"


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
    event is kept exactly when the change it describes is kept. The link is an HMAC under the
    current chain key; when that key differs from the one the chain was last linked with (a
    rotation, or an old unkeyed chain), an ``audit.key_changed`` event is written first.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    context = current_context.get()
    keys = ChainKeys.from_settings()
    with transaction.atomic():
        head = _locked_head()
        _record_key_change(head, keys, context)
        event = _append(
            head,
            keys,
            context,
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            outcome=outcome,
            details=details or {},
        )
        head.save(update_fields=["last_hash", "event_count", "key_id"])
    return event


def anchor_chain() -> AuditEvent | None:
    """Close the chain written so far under the current chain key, if it is not already.

    After an upgrade from the unkeyed chain, or a key rotation, this writes the
    ``audit.key_changed`` event at once instead of with the next audited action. Used by
    ``atpazit audit anchor`` and ``atpazit audit checkpoint``; returns the event, or None.
    """
    keys = ChainKeys.from_settings()
    with transaction.atomic():
        head = _locked_head()
        event = _record_key_change(head, keys, current_context.get())
        head.save(update_fields=["last_hash", "event_count", "key_id"])
    return event


def _locked_head() -> ChainHead:
    # Writing the head first takes the write lock on every backend, so appends serialise.
    ChainHead.objects.get_or_create(pk=1)
    ChainHead.objects.filter(pk=1).update(event_count=F("event_count"))
    return ChainHead.objects.select_for_update().get(pk=1)


def _record_key_change(
    head: ChainHead, keys: ChainKeys, context: AuditContext
) -> AuditEvent | None:
    if head.key_id == keys.current_key_id:
        return None
    if head.event_count == 0:
        head.key_id = keys.current_key_id
        return None
    return _append(
        head,
        keys,
        context,
        action=KEY_CHANGED,
        object_type="audit.chain",
        object_id="",
        outcome=AuditEvent.Outcome.SUCCESS,
        details={
            "from_key": head.key_id,
            "to_key": keys.current_key_id,
            "events_before": head.event_count,
        },
    )


def _append(
    head: ChainHead,
    keys: ChainKeys,
    context: AuditContext,
    *,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    details: dict[str, Any],
) -> AuditEvent:
    event = AuditEvent(
        sequence=head.event_count + 1,
        occurred_at=timezone.now(),
        actor_id=context.actor_id,
        actor_label=context.actor_label,
        organisation_id=context.organisation_id,
        organisation_label=context.organisation_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        ip_address=context.ip_address,
        details=details,
        previous_hash=head.last_hash,
        key_id=keys.current_key_id,
    )
    event.hash = event_hash(head.last_hash, event, keys.current_key)
    event.save(force_insert=True)
    head.event_count = event.sequence
    head.last_hash = event.hash
    head.key_id = event.key_id
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
