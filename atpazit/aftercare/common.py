"""Shared helpers of the after-identification services: dates, references, scope, links."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.aftercare.models import ResidencePermit, ServiceDecision
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral, Suspicion
from atpazit.reflection import services as reflection

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


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor: Actor, permission: str, suspicion: Suspicion) -> Organisation:
    return reflection.require_in_scope(actor, permission, suspicion)


def _reference_errors(
    reference: str, errors: dict[str, list[str]], *, required: bool = True
) -> None:
    if required and not reference:
        errors["reference"] = [_("Give the reference of the decision.")]
    elif len(reference) > 64:
        errors["reference"] = [_("The reference is at most 64 characters.")]


def _date_errors(
    value: dt.date | None,
    field: str,
    errors: dict[str, list[str]],
    *,
    not_before: dt.date | None = None,
) -> None:
    if value is None:
        errors[field] = [_("Give the date.")]
    elif value > _today():
        errors[field] = [_("The date cannot be in the future.")]
    elif not_before is not None and value < not_before:
        errors[field] = [
            _("The date cannot be before %(date)s.") % {"date": not_before.strftime("%d.%m.%Y")}
        ]


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise core.InvalidInput(errors)


def _legal_basis(suspicion: Suspicion) -> str:
    return Referral.LegalBasis.LAW if suspicion.child_path else Referral.LegalBasis.CONSENT


def followup_url(suspicion: Suspicion) -> str:
    return reverse("aftercare:aftercare_detail", kwargs={"pk": suspicion.pk})
