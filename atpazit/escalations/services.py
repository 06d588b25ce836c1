"""Writes for escalations: raising one (never silently) and resolving it with a note."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.audit.services import log_event
from atpazit.escalations.labels import RESOLUTIONS
from atpazit.escalations.models import Escalation
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed


@transaction.atomic
def raise_escalation(
    *,
    kind: str,
    subject: models.Model,
    responsible_organisation: Organisation | None,
    summary_code: str,
    case_number: str = "",
    link: str = "",
    raised_by: User | None = None,
) -> Escalation:
    """Record an escalation to the Ombudsman about ``subject``. Called by other services when
    something must not pass silently (a hold released, a deadline missed); no permission of its
    own, since the calling service has checked the write that caused it."""
    escalation = Escalation.objects.create(
        kind=kind,
        subject=f"{subject._meta.label_lower}:{subject.pk}",
        responsible_organisation=responsible_organisation,
        case_number=case_number,
        link=link,
        summary_code=summary_code,
        raised_by=raised_by,
    )
    log_event(
        "escalation.raised",
        obj=escalation,
        details={"kind": kind, "subject": escalation.subject, "summary": summary_code},
    )
    return escalation


@transaction.atomic
def resolve_escalation(*, actor: Actor, escalation: Escalation, note: str) -> Escalation:
    """Close an escalation with a written note. Needs ``escalations.escalation:resolve``
    (the Ombudsman's monitors). Raises NotAllowed, InvalidTransition
    (already resolved) or InvalidInput (no note)."""
    if not actor.can("escalations.escalation:resolve"):
        raise NotAllowed(_("Your role does not allow this."))
    current = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if current.resolved_at is not None:
        raise InvalidTransition(_("This escalation is already resolved."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput({"note": [_("Write what was done about the escalation.")]})
    current.resolved_at = timezone.now()
    current.resolved_by = actor.user
    current.resolution_note = note
    current.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    log_event("escalation.resolved", obj=current, details={"kind": current.kind})
    return current


@transaction.atomic
def update_escalation_summary(
    *, escalation: Escalation, summary_code: str, updated_by: User | None
) -> Escalation:
    """The open escalation is now about something else (a blocking conflict that changed its
    nature): store the current summary code, keep the earlier one, audit both codes. No
    permission of its own: the calling service's write changed the cause."""
    current = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if current.resolved_at is not None or current.summary_code == summary_code:
        return current
    before = current.summary_code
    current.earlier_summary_codes = [*current.earlier_summary_codes, before]
    current.summary_code = summary_code
    current.save(update_fields=["summary_code", "earlier_summary_codes"])
    log_event(
        "escalation.updated",
        obj=current,
        details={
            "kind": current.kind,
            "from": before,
            "to": summary_code,
            "by": updated_by.pk if updated_by else None,
        },
    )
    return current


def close_cleared_escalation(
    *, escalation: Escalation, code: str, closed_by: User | None, details: dict[str, object]
) -> Escalation:
    """Close an escalation whose cause went away by itself (a conflict cleared because the
    person left the manifest or the hold was released). No permission of its own: the calling
    service's write cleared the cause. ``code`` is a key of ``labels.RESOLUTIONS``, stored as
    the code and read in each reader's language; raises ValueError for any other."""
    if code not in RESOLUTIONS:
        raise ValueError(f"unknown resolution code {code!r}")
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = closed_by
    escalation.resolution_code = code
    escalation.save(update_fields=["resolved_at", "resolved_by", "resolution_code"])
    log_event("escalation.resolved", obj=escalation, details={"kind": escalation.kind, **details})
    return escalation
