"""Shared by the referral services: the refused disclosure, scope checks and small rules.

Refusals are the common ones of ``atpazit.lib.errors``; only a refused disclosure has a class
of its own here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.cases.rules import age_on, parse_date_of_birth
from atpazit.deadlines.rules import Kind
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.referrals import access
from atpazit.referrals.models import (
    Consent,
    Referral,
    Suspicion,
)

Status = Referral.Status
Track = Referral.Track

# The Law on the Residence of a Victim of Trafficking does not apply to EU citizens (domain.md
# §1.4): the written information on the reflection period is for everyone else.
EU_MEMBER_STATES = frozenset(
    ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU")
    + ("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
)
# Age bands of the anonymous notification: CTDC's published bands (domain.md §4.2).
AGE_BANDS = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47))
# The anonymous notification carries exactly these keys (I5); a test pins them.
ANONYMOUS_PAYLOAD_KEYS = ("sex", "age_band", "nationality", "indicators", "place", "date")
RESPONSE_DEADLINES = {Track.PROVIDER: Kind.PROVIDER_RESPONSE, Track.POLICE: Kind.POLICE_RESPONSE}
RECIPIENT_TYPES = {
    Track.PROVIDER: OrganisationType.SERVICE_PROVIDER,
    Track.POLICE: OrganisationType.POLICE,
}
# Whom a notification about a track tells (notify(permission=...): the roles the permission table
# grants it). On the receiving side, those who record the track's outcome; on the sending side,
# those who read the suspicion.
RECIPIENT_PERMISSIONS = {
    Track.PROVIDER: "referrals.commission:record",
    Track.POLICE: "referrals.police:record",
}
FIRST_CONTACT_PERMISSION = "referrals.suspicion:read"
CONSENT_SCOPES = {
    Track.PROVIDER: frozenset({Consent.Scope.PROVIDER, Consent.Scope.BOTH}),
    Track.POLICE: frozenset({Consent.Scope.POLICE, Consent.Scope.BOTH}),
}
# HTCDS case status for each closure reason (domain.md §4.1): "ClosedReferred" or "Closed".
HTCDS_CASE_STATUS = {
    reason: ("ClosedReferred" if reason == Suspicion.ClosureReason.REFERRED_ELSEWHERE else "Closed")
    for reason in Suspicion.ClosureReason.values
}


class DisclosureRefused(ServiceError):
    """No basis to disclose (more): no consent, consent refused or withdrawn, or out of scope;
    for a thread of the exchange also the track ended or the case closed. ``code`` is what the
    audit trail records ("no_consent", "consent_withdrawn", "out_of_scope", "track_ended",
    "suspicion_closed", ...); the callers that audit a refused disclosure (sending referrals,
    posting to a thread) tell it from other refusals."""

    default_code = "disclosure_refused"

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code)


@contextmanager
def disclosure_refusal_audited(event: str, obj: Model) -> Iterator[None]:
    """A DisclosureRefused raised inside leaves the audit event ``event`` with the refusal's
    code, then goes on up. Use it outside the refused write's transaction, so the event stays."""
    try:
        yield
    except DisclosureRefused as exc:
        log_event(event, obj=obj, outcome=AuditEvent.Outcome.DENIED, details={"reason": exc.code})
        raise


# --- small rules ------------------------------------------------------------------------------


def is_eu_national(person: Person) -> bool:
    return person.nationality in EU_MEMBER_STATES


def information_sheet_offered(suspicion: Suspicion) -> bool:
    """The written information on the reflection period is offered to a non-EU national."""
    return not is_eu_national(suspicion.person)


def estimated_age(person: Person, today: dt.date) -> int | None:
    return age_from_evidence(person.date_of_birth, person.birth_year, person.stated_age, today)


def age_from_evidence(
    date_of_birth: str | None, birth_year: int | None, stated_age: int | None, today: dt.date
) -> int | None:
    """The age on ``today`` from the best evidence: the date of birth, else the year of birth,
    else the stated age (the fields of ``Person``, for callers that read values, not objects)."""
    birth_date = parse_date_of_birth(date_of_birth)
    if birth_date is not None:
        return age_on(birth_date, today)
    if birth_year is not None:
        return today.year - birth_year
    return stated_age


def age_band(person: Person, today: dt.date) -> str:
    """A CTDC age band such as "21-23", "48+" or "unknown": never the date of birth."""
    return band_of_age(estimated_age(person, today))


def band_of_age(age: int | None) -> str:
    """The CTDC age band of ``age`` ("unknown" for no or a negative age)."""
    if age is None or age < 0:
        return "unknown"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "48+"


def current_consent(suspicion: Suspicion) -> Consent | None:
    """The newest consent record governs (models.Consent)."""
    return suspicion.consents.order_by("-recorded_at", "-pk").first()


def consent_covers(consent: Consent | None, track: str) -> bool:
    """True while ``consent`` is given, not withdrawn, and its scope includes ``track``."""
    return (
        consent is not None
        and consent.decision == Consent.Decision.GIVEN
        and consent.withdrawn_at is None
        and consent.scope in CONSENT_SCOPES[Track(track)]
    )


def disclosure_refusal(referral: Referral) -> DisclosureRefused | None:
    """Why no further personal data may go to ``referral``'s recipient, or None if it may.

    A child's referral rests on the law (I4); an adult's on consent, which must still be given,
    not withdrawn and cover the track (I5). Other services (the exchange) call this too."""
    if referral.legal_basis != Referral.LegalBasis.CONSENT:
        return None
    consent = current_consent(referral.suspicion)
    if consent is not None and consent.withdrawn_at is not None:
        return DisclosureRefused(
            _("The person withdrew their consent: no further personal data may be disclosed."),
            code="consent_withdrawn",
        )
    if not consent_covers(consent, referral.track):
        return DisclosureRefused(
            _("The person's consent does not cover this organisation."), code="no_consent"
        )
    return None


def suspicion_url(suspicion: Suspicion) -> str:
    return reverse("referrals:suspicion_detail", kwargs={"pk": suspicion.pk})


def referral_url(referral: Referral) -> str:
    return reverse("referrals:referral_detail", kwargs={"pk": referral.pk})


def require_permission(actor: Actor, permission: str) -> Organisation:
    if not actor.can(permission) or actor.organisation is None:
        raise NotAllowed(_("Your role does not allow this."))
    return actor.organisation


def check_sender(actor: Actor, suspicion: Suspicion) -> None:
    """Consent, referrals and anonymous notifications belong to the raising organisation."""
    if not access.is_sender(actor, suspicion):
        raise NotAllowed(_("Only the organisation that raised the suspicion can do this."))


def check_receiver(actor: Actor, referral: Referral) -> None:
    """Accepting, declining and assessing a track belong to the organisation it was sent to."""
    if not access.is_receiver(actor, referral):
        raise NotAllowed(_("Only the organisation the referral was sent to can do this."))


def check_unit(actor: Actor, suspicion: Suspicion) -> None:
    """Holds, risk assessments and closure belong to the person's Border Guard unit."""
    if not access.is_unit(actor, suspicion):
        raise NotAllowed(_("Only the person's Border Guard unit can do this."))


def check_open(suspicion: Suspicion) -> None:
    """Nothing changes on a closed suspicion (its reflection period and aftercare neither)."""
    if suspicion.closed_at is not None:
        raise ServiceError(_("This suspicion is closed."))


def lock_suspicion(suspicion: Suspicion) -> Suspicion:
    """Re-read the suspicion under a row lock; every change of its episode starts here."""
    return (
        Suspicion.objects.select_for_update(of=("self",))
        .select_related("person", "hold")
        .get(pk=suspicion.pk)
    )


def local_today() -> dt.date:
    return timezone.localdate()


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def date_errors(value: dt.date | None, field: str, errors: dict[str, list[str]]) -> None:
    if value is None:
        errors[field] = [_("Give the date.")]
    elif value > local_today():
        errors[field] = [_("The date cannot be in the future.")]


def checked_date(value: dt.date | None) -> dt.date:
    """A date ``date_errors`` has already accepted."""
    if value is None:
        raise InvalidInput({"__all__": [_("Give the date.")]})
    return value


def raise_if_errors(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(errors)


def person_languages(person: Person) -> set[str]:
    return {*person.languages, *([person.preferred_language] if person.preferred_language else [])}
