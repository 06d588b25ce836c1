"""The child's guardian or legal representative, as the orphan's court appointed them (I4).

Only the orphan's court named on a child-path suspicion records, replaces or ends an
appointment, and only while the case is open. A new appointment supersedes the current one;
nothing is deleted, so the history of who represented the child, and when, stays. The appointment
is shared with the Border Guard side of the case (the unit that raised the suspicion and the
child's unit) by law: each record is a logged disclosure and a notification with the case number
only. Audit events carry codes and ids, never the guardian's name, contact or decision number.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.services import log_event, record_disclosure
from atpazit.lib.errors import ConcurrentEdit, NotAllowed, ServiceError
from atpazit.notifications.services import notify
from atpazit.referrals import access
from atpazit.referrals.models import GuardianAppointment, Referral, Suspicion
from atpazit.referrals.services.common import (
    check_open,
    checked_date,
    clean_text,
    date_errors,
    lock_suspicion,
    raise_if_errors,
    require_permission,
    suspicion_url,
)

RECORD = "referrals.guardian:record"
PURPOSE = "child protection: guardian appointment"

Kind = GuardianAppointment.Kind
EndReason = GuardianAppointment.EndReason


def current_appointment(suspicion: Suspicion) -> GuardianAppointment | None:
    """The appointment in force for the child's case, if any (no audit: for services)."""
    return suspicion.guardian_appointments.filter(ended_at__isnull=True).first()


def _check_court(actor: Actor, suspicion: Suspicion) -> Organisation:
    court = require_permission(actor, RECORD)
    if not access.is_orphans_court(actor, suspicion):
        raise NotAllowed(_("Only the orphan's court notified about this child can do this."))
    return court


def _check_still_current(current: GuardianAppointment | None, expected: int | None) -> None:
    """The form said which appointment was in force when it was loaded; refuse if that changed
    meanwhile, so two officers never replace each other's record unknowingly (I8)."""
    if (current.pk if current is not None else None) != expected:
        raise ConcurrentEdit(
            _(
                "The child's guardian was changed by someone else after you opened this page. "
                "Nothing was saved: look at the current appointment and try again."
            ),
            code="guardian_changed",
        )


@transaction.atomic
def record_guardian_appointment(
    *,
    actor: Actor,
    suspicion: Suspicion,
    kind: str,
    name: str,
    contact: str,
    decision_date: dt.date | None,
    decision_number: str,
    replaces: int | None,
) -> GuardianAppointment:
    """Record the guardian or legal representative the orphan's court appointed for the child.

    ``replaces`` is the pk of the appointment in force when the form was loaded (None when there
    was none); the new appointment supersedes it. Needs ``referrals.guardian:record`` in the
    orphan's court named on the suspicion. Raises InvalidInput naming each field, NotAllowed,
    ConcurrentEdit, ServiceError on a closed case."""
    current_case = lock_suspicion(suspicion)
    court = _check_court(actor, current_case)
    check_open(current_case)
    name, contact, number = clean_text(name), clean_text(contact), clean_text(decision_number)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose whom the orphan's court appointed.")]
    if not name:
        errors["name"] = [_("Write the name of the guardian or legal representative.")]
    date_errors(decision_date, "decision_date", errors)
    if not number:
        errors["decision_number"] = [_("Write the number of the orphan's court decision.")]
    raise_if_errors(errors)
    previous = current_appointment(current_case)
    _check_still_current(previous, replaces)
    if previous is not None:
        _end(actor, previous, EndReason.SUPERSEDED)
    appointment = GuardianAppointment.objects.create(
        suspicion=current_case,
        kind=kind,
        name=name,
        contact=contact,
        decision_date=checked_date(decision_date),
        decision_number=number,
        recorded_by=actor.user,
        recorded_by_organisation=court,
    )
    _share_with_border_guard(actor, current_case, appointment)
    log_event(
        "guardian.appointed",
        obj=appointment,
        details={
            "suspicion": current_case.pk,
            "kind": kind,
            "supersedes": previous.pk if previous is not None else None,
        },
    )
    return appointment


@transaction.atomic
def end_guardian_appointment(
    *, actor: Actor, suspicion: Suspicion, appointment_pk: int | None
) -> GuardianAppointment:
    """End the appointment in force without a new one (e.g. the orphan's court revoked it).

    ``appointment_pk`` is the appointment shown when the form was loaded. Needs
    ``referrals.guardian:record`` in the orphan's court named on the suspicion. Raises
    NotAllowed, ConcurrentEdit (the appointment changed meanwhile, or there is none), ServiceError
    on a closed case."""
    current_case = lock_suspicion(suspicion)
    _check_court(actor, current_case)
    check_open(current_case)
    current = current_appointment(current_case)
    _check_still_current(current, appointment_pk)
    if current is None:  # nothing in force, and the form knew it: nothing to end
        raise ServiceError(_("No guardian appointment is in force."), code="no_guardian")
    _end(actor, current, EndReason.ENDED)
    _share_with_border_guard(actor, current_case, current)
    log_event(
        "guardian.appointment_ended",
        obj=current,
        details={"suspicion": current_case.pk, "reason": EndReason.ENDED},
    )
    return current


def _end(actor: Actor, appointment: GuardianAppointment, reason: str) -> None:
    appointment.ended_at = timezone.now()
    appointment.ended_by = actor.user
    appointment.end_reason = reason
    appointment.save(update_fields=["ended_at", "ended_by", "end_reason"])


def _share_with_border_guard(
    actor: Actor, suspicion: Suspicion, appointment: GuardianAppointment
) -> None:
    """The Border Guard side needs to know who represents the child (hand-over, decisions are
    served on the representative, never on the child): a disclosure by law to the unit that
    raised the suspicion and to the child's unit, and a notification without personal data."""
    person = suspicion.person
    units = {suspicion.raised_by_organisation_id, person.organisation_id}
    for organisation in Organisation.objects.filter(pk__in=units).order_by("pk"):
        record_disclosure(
            from_organisation=actor.organisation,
            to_organisation=organisation,
            subject=appointment,
            legal_basis=Referral.LegalBasis.LAW,
            purpose=PURPOSE,
            data_categories=["guardian"],
            case_number=person.case_number,
            recorded_by=actor.user,
        )
        notify(
            organisation=organisation,
            kind="child.guardian_changed",
            link=suspicion_url(suspicion),
            case_number=person.case_number,
            permission="referrals.suspicion:read",
        )
