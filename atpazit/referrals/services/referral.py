"""Referrals with the minimum necessary data, and anonymous notifications (I5, I6).

What each track's package holds, and why, is docs/decisions/0003-referral-package.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.services import log_event, record_disclosure
from atpazit.cases.models import Person
from atpazit.deadlines.services import open_deadline
from atpazit.lib.errors import ServiceError
from atpazit.lib.weeks import iso_week
from atpazit.notifications.services import notify
from atpazit.referrals.anonymous import region_of
from atpazit.referrals.hooks import referral_changed
from atpazit.referrals.models import (
    OPEN_STATUSES,
    AnonymousNotification,
    Consent,
    Referral,
    Suspicion,
)
from atpazit.referrals.services.common import (
    ANONYMOUS_PAYLOAD_KEYS,
    RECIPIENT_PERMISSIONS,
    RECIPIENT_TYPES,
    RESPONSE_DEADLINES,
    DisclosureRefused,
    Track,
    age_band,
    check_open,
    check_sender,
    clean_text,
    consent_covers,
    current_consent,
    date_errors,
    disclosure_refusal_audited,
    local_today,
    lock_suspicion,
    raise_if_errors,
    referral_url,
    require_permission,
)

# --- referrals and the package (docs/decisions/0003-referral-package.md) -----------------------

# The minimum each track needs, by data category. The police also get other names used (they
# investigate under the names traffickers knew); neither gets contact details, the return decision
# reference, the appeal or the court order on detention.
PACKAGE_CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    Track.PROVIDER: {
        "reference": ("case_number", "referring_organisation", "sent_on", "legal_basis", "consent"),
        "identity": ("family_name", "given_names"),
        "age": ("date_of_birth", "birth_year", "stated_age", "age_disputed", "child_path"),
        "sex": ("sex",),
        "nationality": ("nationality",),
        "languages": ("languages", "preferred_language", "interpreter_needed"),
        "location": ("detention_centre", "detention_place_other", "detained_since"),
        "removal_date": ("planned_removal_date",),
        "suspicion": ("suspicion_raised_on", "suspicion_reason"),
    },
}
PACKAGE_CATEGORIES[Track.POLICE] = {
    **PACKAGE_CATEGORIES[Track.PROVIDER],
    "identity": ("family_name", "given_names", "aliases"),
}


def package_fields(track: str) -> tuple[str, ...]:
    return tuple(name for names in PACKAGE_CATEGORIES[track].values() for name in names)


def build_package(suspicion: Suspicion, track: str, *, legal_basis: str) -> dict[str, Any]:
    """The referral package for ``track``: exactly ``package_fields(track)``, as JSON values."""
    person = suspicion.person
    consent = current_consent(suspicion) if legal_basis == Referral.LegalBasis.CONSENT else None
    values: dict[str, Any] = {
        "case_number": person.case_number,
        "referring_organisation": suspicion.raised_by_organisation.name,
        "sent_on": local_today().isoformat(),
        "legal_basis": legal_basis,
        "consent": (
            {
                "scope": consent.scope,
                "explained_on": consent.explained_on.isoformat(),
                "language": consent.language,
            }
            if consent is not None
            else None
        ),
        "family_name": person.family_name,
        "given_names": person.given_names,
        "aliases": person.aliases,
        "date_of_birth": person.date_of_birth,
        "birth_year": person.birth_year,
        "stated_age": person.stated_age,
        "age_disputed": person.age_disputed,
        "child_path": suspicion.child_path,
        "sex": person.sex,
        "nationality": person.nationality,
        "languages": list(person.languages),
        "preferred_language": person.preferred_language,
        "interpreter_needed": person.interpreter_needed,
        "detention_centre": person.detention_centre,
        "detention_place_other": person.detention_place_other,
        "detained_since": person.detained_since.isoformat() if person.detained_since else None,
        "planned_removal_date": (
            person.planned_removal_date.isoformat() if person.planned_removal_date else None
        ),
        "suspicion_raised_on": timezone.localtime(suspicion.raised_at).date().isoformat(),
        "suspicion_reason": suspicion.reason,
    }
    return {name: values[name] for name in package_fields(track)}


def package_of(referral: Referral) -> dict[str, Any]:
    """The package as disclosed (decrypted JSON). Callers check the actor may see it."""
    return json.loads(referral.package) if referral.package else {}


def send_referrals(
    *,
    actor: Actor,
    suspicion: Suspicion,
    provider: Organisation | None = None,
    police: Organisation | None = None,
) -> list[Referral]:
    """Send the provider and/or police track with the minimum necessary data.

    A child's referral rests on the law; an adult's needs consent given, not withdrawn, and
    covering each track (I5). Each recipient gets a disclosure-log entry, a notification (no
    personal data by e-mail) and a response deadline. Needs ``referrals.referral:send`` in the
    raising organisation. A refusal for want of consent is audited and raises DisclosureRefused.
    Raises InvalidInput, NotAllowed, ServiceError.
    """
    with disclosure_refusal_audited("referral.refused", suspicion):
        sent = _send_referrals(actor=actor, suspicion=suspicion, provider=provider, police=police)
    return sent


@transaction.atomic
def _send_referrals(
    *,
    actor: Actor,
    suspicion: Suspicion,
    provider: Organisation | None,
    police: Organisation | None,
) -> list[Referral]:
    require_permission(actor, "referrals.referral:send")
    current = lock_suspicion(suspicion)
    check_sender(actor, current)
    check_open(current)
    if not current.hold.is_active:
        # A track on a released episode would run with nobody held (I1).
        raise ServiceError(
            _(
                "The removal hold of this suspicion has been released: raise a new suspicion, which holds the removal again, and refer the person from it."
            )
        )
    recipients = {Track.PROVIDER: provider, Track.POLICE: police}
    errors = _recipient_errors(current, recipients)
    raise_if_errors(errors)
    legal_basis = Referral.LegalBasis.LAW if current.child_path else Referral.LegalBasis.CONSENT
    chosen = [(track, org) for track, org in recipients.items() if org is not None]
    if legal_basis == Referral.LegalBasis.CONSENT:
        _check_consent_for(current, [track for track, _org in chosen])
    return [_send(actor, current, track, org, legal_basis) for track, org in chosen]


def _recipient_errors(
    suspicion: Suspicion, recipients: Mapping[Track, Organisation | None]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not any(recipients.values()):
        errors["__all__"] = [_("Choose a service provider, the State Police, or both.")]
    open_tracks = set(
        suspicion.referrals.filter(status__in=OPEN_STATUSES).values_list("track", flat=True)
    )
    for track, organisation in recipients.items():
        field = str(track)
        if organisation is None:
            continue
        if not _is_recipient(organisation, track):
            errors[field] = [_recipient_label(track)]
        elif track in open_tracks:
            errors[field] = [
                _("This track is already open: wait for its answer or withdraw it first.")
            ]
    return errors


def _is_recipient(organisation: Organisation | None, track: str) -> bool:
    return (
        organisation is not None
        and organisation.type == RECIPIENT_TYPES[Track(track)]
        and organisation.is_active
    )


def _recipient_label(track: str) -> str:
    return (
        _("Choose a service provider.")
        if track == Track.PROVIDER
        else _("Choose the State Police.")
    )


def _check_consent_for(suspicion: Suspicion, tracks: list[str]) -> None:
    consent = current_consent(suspicion)
    if consent is None:
        raise DisclosureRefused(
            _("Record the person's consent first: an adult's data leave only with their consent."),
            code="no_consent",
        )
    if consent.withdrawn_at is not None:
        raise DisclosureRefused(
            _(
                "The person withdrew their consent: no referral with personal data can be sent. Send an anonymous notification instead."
            ),
            code="consent_withdrawn",
        )
    if consent.decision != Consent.Decision.GIVEN:
        raise DisclosureRefused(
            _("The person refused consent: send an anonymous notification instead."),
            code="consent_refused",
        )
    for track in tracks:
        if not consent_covers(consent, track):
            raise DisclosureRefused(
                _("The person's consent does not cover %(track)s.") % {"track": Track(track).label},
                code="out_of_scope",
            )


def _send(
    actor: Actor, suspicion: Suspicion, track: str, recipient: Organisation, legal_basis: str
) -> Referral:
    package = build_package(suspicion, track, legal_basis=legal_basis)
    referral = Referral.objects.create(
        suspicion=suspicion,
        track=track,
        to_organisation=recipient,
        legal_basis=legal_basis,
        package=json.dumps(package, ensure_ascii=False),
        sent_by=actor.user,
    )
    person = suspicion.person
    link = referral_url(referral)
    record_disclosure(
        from_organisation=suspicion.raised_by_organisation,
        to_organisation=recipient,
        subject=referral,
        legal_basis=legal_basis,
        purpose=f"referral for identification ({track} track)",
        data_categories=list(PACKAGE_CATEGORIES[track]),
        case_number=person.case_number,
        recorded_by=actor.user,
    )
    open_deadline(
        kind=RESPONSE_DEADLINES[Track(track)],
        subject=referral,
        responsible_organisation=recipient,
        case_number=person.case_number,
        link=link,
    )
    notify(
        organisation=recipient,
        kind="referral.received",
        link=link,
        case_number=person.case_number,
        permission=RECIPIENT_PERMISSIONS[Track(track)],
    )
    log_event(
        "referral.sent",
        obj=referral,
        details={
            "suspicion": suspicion.pk,
            "track": track,
            "to": recipient.pk,
            "legal_basis": legal_basis,
        },
    )
    referral_changed(referral, "sent")
    return referral


# --- anonymous notification (I5: an adult refused) ----------------------------------------------


@transaction.atomic
def send_anonymous_notification(
    *,
    actor: Actor,
    suspicion: Suspicion,
    police: Organisation | None,
    provider: Organisation | None,
    indicator_codes: list[str],
    support_offered_on: dt.date | None,
) -> list[AnonymousNotification]:
    """Tell the State Police and a provider about a possible victim without any identifier.

    Only for an adult who refused (or withdrew) consent. The payload is exactly sex, age band,
    nationality, indicator codes, place and date (``ANONYMOUS_PAYLOAD_KEYS``): no name, case
    number, date of birth or free text; the disclosure log records the legal basis "anonymous".
    Support is still offered to the person: the date is recorded. Needs
    ``referrals.referral:send`` in the raising organisation. Raises InvalidInput, NotAllowed,
    ServiceError.
    """
    require_permission(actor, "referrals.referral:send")
    current = lock_suspicion(suspicion)
    check_sender(actor, current)
    check_open(current)
    _check_refused(current)
    _check_not_sent(current)
    errors: dict[str, list[str]] = {}
    for track, organisation in ((Track.POLICE, police), (Track.PROVIDER, provider)):
        if not _is_recipient(organisation, track):
            errors[str(track)] = [_recipient_label(track)]
    codes = _indicator_codes(indicator_codes, errors)
    date_errors(support_offered_on, "support_offered_on", errors)
    raise_if_errors(errors)
    payload = anonymous_payload(current, codes)
    sent = []
    for recipient in (police, provider):
        if recipient is not None:  # both are checked above
            sent.append(_send_anonymous(actor, current, recipient, payload))
    current.support_offered_on = support_offered_on
    current.support_offered_by = actor.user
    current.version += 1
    current.save(update_fields=["support_offered_on", "support_offered_by", "version"])
    # Relative, not the day: the trail carries no date that could match the notification's week.
    raised_on = timezone.localtime(current.raised_at).date()
    offered = (support_offered_on - raised_on).days if support_offered_on else None
    log_event("suspicion.support_offered", obj=current, details={"days_after_raised": offered})
    return sent


def _check_refused(suspicion: Suspicion) -> None:
    if suspicion.child_path:
        raise ServiceError(
            _(
                "A child is referred by law, with the orphan's court notified: no anonymous notification."
            )
        )
    consent = current_consent(suspicion)
    refused = consent is not None and (
        consent.decision == Consent.Decision.REFUSED or consent.withdrawn_at is not None
    )
    if not refused:
        raise ServiceError(
            _(
                "An anonymous notification is for an adult who refused or withdrew consent: record that decision first."
            )
        )


def _check_not_sent(suspicion: Suspicion) -> None:
    # One notification per episode: a second one (a double click, a second officer, a stale
    # page) would describe the same person twice and tell the police nothing new. Checked under
    # the suspicion's row lock, so two concurrent sends cannot both pass.
    if AnonymousNotification.objects.filter(suspicion=suspicion).exists():
        raise ServiceError(
            _("The anonymous notification for this suspicion has already been sent."),
            code="already_sent",
        )


def _indicator_codes(codes: list[str], errors: dict[str, list[str]]) -> list[str]:
    from atpazit.screening.catalogue import latest_catalogue

    catalogue = latest_catalogue()
    cleaned = sorted({clean_text(code).upper() for code in codes if clean_text(code)})
    unknown = [code for code in cleaned if code not in catalogue]
    if unknown:
        errors["indicator_codes"] = [
            _("Unknown indicator codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    elif not cleaned:
        errors["indicator_codes"] = [_("Choose the indicators observed.")]
    return cleaned


def anonymous_payload(suspicion: Suspicion, indicator_codes: list[str]) -> dict[str, Any]:
    """Exactly ``ANONYMOUS_PAYLOAD_KEYS``. Place is the region of the place, date the ISO week of
    the day the suspicion was raised: nothing that names, numbers or singles out the person."""
    raised_on = timezone.localtime(suspicion.raised_at).date()
    return deidentified_payload(suspicion.person, raised_on, indicator_codes)


def deidentified_payload(person: Person, on: dt.date, indicator_codes: list[str]) -> dict[str, Any]:
    """The de-identified description of a person met on ``on`` (``ANONYMOUS_PAYLOAD_KEYS``):
    sex, age band, nationality, indicator codes, the region of the place and the ISO week of
    the day (``referrals.anonymous``: never the centre or the exact day). Shared by the
    anonymous notification and the labour inspectorate's notice."""
    return {
        "sex": person.sex,
        "age_band": age_band(person, on),
        "nationality": person.nationality,
        "indicators": list(indicator_codes),
        "place": region_of(person),
        "date": iso_week(on),
    }


def _send_anonymous(
    actor: Actor, suspicion: Suspicion, recipient: Organisation, payload: dict[str, Any]
) -> AnonymousNotification:
    notification = AnonymousNotification.objects.create(
        suspicion=suspicion, to_organisation=recipient, payload=payload, sent_by=actor.user
    )
    record_disclosure(
        from_organisation=suspicion.raised_by_organisation,
        to_organisation=recipient,
        subject=notification,
        legal_basis="anonymous",
        purpose="anonymous notification of a possible victim",
        data_categories=list(ANONYMOUS_PAYLOAD_KEYS),
        case_number=suspicion.person.case_number,
        recorded_by=actor.user,
    )
    # No case number in the notification either: the recipient must not be able to re-identify.
    notify(
        organisation=recipient,
        kind="notification.anonymous",
        link=reverse("referrals:anonymous_detail", kwargs={"pk": notification.pk}),
        permission="referrals.anonymous:read",
    )
    log_event("anonymous_notification.sent", obj=notification, details={"to": recipient.pk})
    return notification
