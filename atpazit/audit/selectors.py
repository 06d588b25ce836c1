"""Reads of the audit trail, for auditors only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.chain import VerificationResult, verify_chain
from atpazit.audit.checkpoints import Checkpoint
from atpazit.audit.keys import ChainKeys
from atpazit.audit.models import AuditEvent, ChainHead, Disclosure
from atpazit.audit.services import log_event


def reads_whole_trail(actor: Actor) -> bool:
    """A system-wide auditor: an auditor of the system administration, which only a system
    administrator can staff. Every other auditor reads their own organisation's trail."""
    organisation = actor.organisation
    return (
        actor.can("audit.event:read")
        and organisation is not None
        and organisation.type == OrganisationType.SYSTEM
    )


def audit_events_visible_to(actor: Actor) -> QuerySet[AuditEvent]:
    """Events an auditor may read: all for a system-wide auditor, else those done on behalf of
    their own organisation; none without the permission (deny when unsure)."""
    if reads_whole_trail(actor):
        return AuditEvent.objects.all()
    if actor.can("audit.event:read") and actor.organisation is not None:
        return AuditEvent.objects.filter(organisation_id=actor.organisation.pk)
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


def audit_trail_for(actor: Actor, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The auditor's page of the trail: the events the actor may read (``audit_events_visible_to``)
    that match ``filters`` (``filter_events``), newest first. The read is audited here as
    ``audit.viewed`` with the filters, before the events are counted: an event appended after
    the page is counted would push the oldest one off a short page."""
    used = {key: value for key, value in filters.items() if value}
    events = filter_events(audit_events_visible_to(actor), **used)
    log_event("audit.viewed", details={key: str(value) for key, value in used.items()})
    return events


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def verify_audit_chain(checkpoints: list[Checkpoint] | None = None) -> VerificationResult:
    """Walk the whole chain with the configured chain keys and, if given, compare it with
    checkpoints read by ``checkpoints.read_checkpoints`` (already signature-checked)."""
    expected: dict[int, str] = {}
    for checkpoint in checkpoints or []:
        if expected.setdefault(checkpoint.sequence, checkpoint.hash) != checkpoint.hash:
            return VerificationResult(
                ok=False,
                checked=0,
                message=f"two checkpoints disagree about event #{checkpoint.sequence}: "
                "the chain was rewritten between them",
                first_broken=checkpoint.sequence,
            )
    return verify_chain(_DatabaseChain(), keys=ChainKeys.from_settings().keys, checkpoints=expected)


class _DatabaseChain:
    def events_after(self, sequence: int) -> Iterator[AuditEvent]:
        events = AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence")
        return events.iterator(chunk_size=2000)

    def head(self) -> ChainHead | None:
        return ChainHead.objects.filter(pk=1).first()


def chain_head_event() -> AuditEvent | None:
    """The last event of the chain, for a checkpoint."""
    return AuditEvent.objects.order_by("-sequence").first()


def disclosures_visible_to(actor: Actor) -> QuerySet[Disclosure]:
    """Disclosures an auditor may read: all for a system-wide auditor, else those their own
    organisation made or received."""
    disclosures = Disclosure.objects.select_related(
        "from_organisation", "to_organisation", "recorded_by"
    )
    if reads_whole_trail(actor):
        return disclosures
    if actor.can("audit.event:read") and actor.organisation is not None:
        organisation = actor.organisation
        return disclosures.filter(
            Q(from_organisation=organisation) | Q(to_organisation=organisation)
        )
    return Disclosure.objects.none()


def _received_anonymously(actor: Actor) -> Q:
    """The de-identified disclosures the actor's organisation received from another one (an
    anonymous notification, a labour exploitation notice): the recipient may not know whose
    case they came from, so its auditor reads neither the case number nor the sender's user."""
    if reads_whole_trail(actor) or actor.organisation is None:
        return Q(pk__in=[])
    organisation = actor.organisation
    return Q(legal_basis=Disclosure.LegalBasis.NONE_ANONYMOUS, to_organisation=organisation) & ~Q(
        from_organisation=organisation
    )


def disclosure_log_for(actor: Actor, *, case_number: str = "") -> QuerySet[Disclosure]:
    """The disclosure log the actor may read (``disclosures_visible_to``), of one case if
    ``case_number`` is given. The read is audited here as ``disclosures.viewed``.

    A de-identified disclosure the actor's organisation received is never found by a case
    number (a recipient that knows a case number from a referral must not learn that the
    anonymous notification was about the same person); ``disclosure_rows`` redacts it."""
    disclosures = disclosures_visible_to(actor)
    if case_number:
        disclosures = disclosures.filter(case_number=case_number).exclude(
            _received_anonymously(actor)
        )
    log_event("disclosures.viewed", details={"case_number": case_number} if case_number else {})
    return disclosures


def disclosure_rows(actor: Actor, disclosures: Iterable[Disclosure]) -> list[DisclosureRow]:
    """The rows of the disclosure log as the actor may read them: a de-identified disclosure
    received by the actor's organisation shows its week, no case number and no sender user."""
    redacted_ids = set(
        Disclosure.objects.filter(
            _received_anonymously(actor), pk__in=[d.pk for d in disclosures]
        ).values_list("pk", flat=True)
    )
    return [DisclosureRow(d, d.pk in redacted_ids) for d in disclosures]


@dataclass(frozen=True)
class DisclosureRow:
    disclosure: Disclosure
    redacted: bool
