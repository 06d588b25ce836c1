"""The residence-permit track and the return decision after identification: what lets a
recognised person's hold be released (``residence_or_return_decided``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.aftercare.common import (
    RESIDENCE_TRANSITIONS,
    Permit,
    date_errors,
    followup_url,
    reference_errors,
)
from atpazit.aftercare.models import ResidencePermit, ReturnDecision
from atpazit.audit.services import log_event, record_disclosure
from atpazit.lib.errors import ServiceError
from atpazit.notifications.services import notify
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral, Suspicion
from atpazit.reflection import services as reflection

# --- residence permit and return decision -------------------------------------------------------


def latest_permit(suspicion: Suspicion) -> ResidencePermit | None:
    return suspicion.residence_permits.order_by("-status_on", "-pk").first()


def permit_in_force(suspicion: Suspicion, today: dt.date | None = None) -> ResidencePermit | None:
    today = today or core.local_today()
    permit = latest_permit(suspicion)
    if permit is None or permit.status != Permit.GRANTED:
        return None
    return permit if permit.valid_until is None or permit.valid_until >= today else None


def residence_or_return_decided(suspicion: Suspicion) -> bool:
    """True once a residence permit was granted or a return decision recorded after
    identification: what lets a recognised person's hold be released (registered with
    ``referrals.hooks`` in ``AftercareConfig.ready``)."""
    return (
        suspicion.residence_permits.filter(status=ResidencePermit.Status.GRANTED).exists()
        or suspicion.return_decisions.exists()
    )


def allowed_permit_statuses(suspicion: Suspicion) -> frozenset[str]:
    latest = latest_permit(suspicion)
    return RESIDENCE_TRANSITIONS[latest.status if latest else ""]


def residence_blockers(suspicion: Suspicion) -> list[str]:
    reasons = []
    if not reflection.law_applies(suspicion.person):
        reasons.append(
            _(
                "The Law on the Residence of a Victim of Trafficking does not apply to citizens of the European Union: no reflection period, and no information sheet about it."
            )
        )
    if not reflection.is_identified(suspicion):
        reasons.append(
            _(
                "A victim's residence permit follows identification: no track has recognised the person yet."
            )
        )
    return reasons


@transaction.atomic
def record_residence_permit(
    *,
    actor: Actor,
    suspicion: Suspicion,
    status: str,
    status_on: dt.date | None,
    valid_until: dt.date | None = None,
    reference: str = "",
) -> ResidencePermit:
    """Record a step of the residence-permit track (requested, granted, refused). A granted
    permit lets a recognised person's hold be released. The Border Guard unit and the providers
    are told. Needs ``referrals.residence:record`` and the suspicion in scope. Raises
    InvalidInput, NotAllowed, ServiceError.
    """
    organisation = reflection.require_in_scope(actor, "referrals.residence:record", suspicion)
    current = core.lock_suspicion(suspicion)
    core.check_open(current)
    blockers = residence_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    allowed = allowed_permit_statuses(current)
    if status not in allowed:
        errors["status"] = [
            _("Next on this track: %(steps)s.")
            % {"steps": ", ".join(str(Permit(s).label) for s in sorted(allowed))}
        ]
    latest = latest_permit(current)
    date_errors(status_on, "status_on", errors, not_before=latest.status_on if latest else None)
    if status == Permit.GRANTED:
        if valid_until is None:
            errors["valid_until"] = [_("Give the date until which the permit is valid.")]
        elif status_on is not None and valid_until <= status_on:
            errors["valid_until"] = [_("The permit must be valid after the day it was granted.")]
    reference_errors(reference, errors, required=status != Permit.REQUESTED)
    core.raise_if_errors(errors)
    assert status_on is not None
    permit = ResidencePermit.objects.create(
        suspicion=current,
        status=status,
        status_on=status_on,
        valid_until=valid_until if status == Permit.GRANTED else None,
        reference=reference,
        recorded_by=actor.user,
    )
    log_event(
        "residence_permit.recorded", obj=permit, details={"suspicion": current.pk, "status": status}
    )
    if status == Permit.GRANTED:
        reflection.close_reflection_reminders(current)
    _tell_decision(actor, organisation, current, "residence permit track")
    return permit


def return_blockers(suspicion: Suspicion) -> list[str]:
    reasons = []
    if suspicion.closed_at is not None:
        reasons.append(_("This suspicion is closed."))
    if not reflection.is_identified(suspicion):
        reasons.append(
            _(
                "This records the return decision after identification; no track has recognised the person. Release the hold through the suspicion instead."
            )
        )
    for period in reflection.running_periods(suspicion.person):
        reasons.append(
            _(
                "A reflection period runs until %(date)s: wait for its end, or end it early with the person's decision first."
            )
            % {"date": period.ends_on.strftime("%d.%m.%Y")}
        )
    return reasons


@transaction.atomic
def record_return_decision(
    *, actor: Actor, suspicion: Suspicion, kind: str, decided_on: dt.date | None, reference: str
) -> ReturnDecision:
    """Record the return decision that follows identification: assisted voluntary return, or a
    return decision in force so that removal may be rescheduled (not while a residence permit is
    in force). The hold is then released by its own recorded decision, and the person screened
    again before any removal. Needs ``referrals.return_decision:record`` (the person's Border
    Guard unit). Raises InvalidInput, NotAllowed, ServiceError.
    """
    organisation = reflection.require_in_scope(actor, "referrals.return_decision:record", suspicion)
    current = core.lock_suspicion(suspicion)
    blockers = return_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in ReturnDecision.Kind.values:
        errors["kind"] = [_("Choose the decision.")]
    elif kind == ReturnDecision.Kind.REMOVAL and permit_in_force(current) is not None:
        errors["kind"] = [
            _("The person holds a residence permit in force: they cannot be removed.")
        ]
    date_errors(decided_on, "decided_on", errors)
    reference_errors(reference, errors)
    core.raise_if_errors(errors)
    assert decided_on is not None
    decision = ReturnDecision.objects.create(
        suspicion=current,
        kind=kind,
        decided_on=decided_on,
        reference=reference,
        recorded_by=actor.user,
    )
    log_event(
        "return_decision.recorded", obj=decision, details={"suspicion": current.pk, "kind": kind}
    )
    reflection.close_reflection_reminders(current)
    _tell_decision(actor, organisation, current, "return decision after identification")
    return decision


def _tell_decision(
    actor: Actor, organisation: Organisation, suspicion: Suspicion, purpose: str
) -> None:
    case_number = suspicion.person.case_number
    for recipient in reflection.involved_organisations(suspicion):
        if recipient.pk == organisation.pk:
            continue
        notify(
            organisation=recipient,
            kind="followup.decision_recorded",
            link=followup_url(suspicion),
            case_number=case_number,
        )
        record_disclosure(
            from_organisation=organisation,
            to_organisation=recipient,
            subject=suspicion,
            legal_basis=Referral.LegalBasis.LAW,
            purpose=purpose,
            data_categories=["case_number", "residence_or_return_decision"],
            case_number=case_number,
            recorded_by=actor.user,
        )
