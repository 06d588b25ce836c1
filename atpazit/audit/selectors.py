"""Reads of the audit trail, for auditors only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.audit.chain import VerificationResult, verify_chain
from atpazit.audit.models import AuditEvent, ChainHead, Disclosure


def audit_events_visible_to(actor: Actor) -> QuerySet[AuditEvent]:
    if actor.can("audit.event:read"):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def filter_events(
    events: QuerySet[AuditEvent],
    *,
    action: str = "",
    actor_label: str = "",
    object_id: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    if action:
        events = events.filter(action__startswith=action)
    if actor_label:
        events = events.filter(actor_label__iexact=actor_label)
    if object_id:
        events = events.filter(object_id=object_id)
    if outcome:
        events = events.filter(outcome=outcome)
    if since:
        events = events.filter(occurred_at__gte=_start_of(since))
    if until:
        events = events.filter(occurred_at__lt=_start_of(until) + timedelta(days=1))
    return events.order_by("-sequence")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def verify_audit_chain() -> VerificationResult:
    return verify_chain(
        AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000),
        ChainHead.objects.filter(pk=1).first(),
    )


def disclosures_visible_to(actor: Actor) -> QuerySet[Disclosure]:
    if actor.can("audit.event:read"):
        return Disclosure.objects.select_related(
            "from_organisation", "to_organisation", "recorded_by"
        )
    return Disclosure.objects.none()
