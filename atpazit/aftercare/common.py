"""Shared helpers of the after-identification services: dates, references, scope, links."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.aftercare.models import ResidencePermit, ServiceDecision
from atpazit.audit.services import log_event
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral, Suspicion
from atpazit.reflection.common import get_followup_suspicion

RIGA = ZoneInfo("Europe/Riga")
Decision = ServiceDecision.Decision
Permit = ResidencePermit.Status
# What SIVA receives about a person: no name, no nationality, no grounds (I6).
SIVA_CATEGORIES = [
    "case_number",
    "child_path",
    "identification_route",
    "identification_date",
    "provider",
]
# The residence-permit track: a refusal or an expiry may be followed by a new application.
RESIDENCE_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({Permit.REQUESTED}),
    Permit.REQUESTED: frozenset({Permit.GRANTED, Permit.REFUSED}),
    Permit.GRANTED: frozenset({Permit.REQUESTED}),
    Permit.REFUSED: frozenset({Permit.REQUESTED}),
}


def reference_errors(
    reference: str, errors: dict[str, list[str]], *, required: bool = True
) -> None:
    if required and not reference:
        errors["reference"] = [_("Give the reference of the decision.")]
    elif len(reference) > 64:
        errors["reference"] = [_("The reference is at most 64 characters.")]


def date_errors(
    value: dt.date | None,
    field: str,
    errors: dict[str, list[str]],
    *,
    not_before: dt.date | None = None,
) -> None:
    """The core date rule (given, not in the future), and not before ``not_before``."""
    core.date_errors(value, field, errors)
    if value is None or value > core.local_today():
        return
    if not_before is not None and value < not_before:
        errors[field] = [
            _("The date cannot be before %(date)s.") % {"date": not_before.strftime("%d.%m.%Y")}
        ]


def legal_basis(suspicion: Suspicion) -> str:
    return Referral.LegalBasis.LAW if suspicion.child_path else Referral.LegalBasis.CONSENT


def followup_url(suspicion: Suspicion) -> str:
    return reverse("aftercare:aftercare_detail", kwargs={"pk": suspicion.pk})


def get_aftercare_case(actor: Actor, pk: int, *, shown_on: str | None = None) -> Suspicion:
    """The suspicion with ``pk`` if it is in the actor's follow-up scope
    (``reflection.get_followup_suspicion``); Http404 otherwise. ``shown_on`` names the aftercare
    page that shows it (its URL name); the read is then audited here as ``aftercare.viewed``
    with the page (I7)."""
    suspicion = get_followup_suspicion(actor, pk)
    if shown_on is not None:
        log_event("aftercare.viewed", obj=suspicion, details={"page": shown_on})
    return suspicion
