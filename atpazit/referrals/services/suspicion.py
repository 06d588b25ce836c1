"""Raising a suspicion (its removal hold, the child path) and the adult's consent (I1, I4, I5)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event, record_disclosure
from atpazit.cases import geo
from atpazit.cases import services as cases_services
from atpazit.cases.models import Hold, Person
from atpazit.cases.reasons import SUSPICION_RAISED
from atpazit.cases.rules import is_child
from atpazit.cases.selectors import persons_visible_to
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import meet_deadlines, open_deadline
from atpazit.lib.errors import NotAllowed, ServiceError
from atpazit.notifications.services import notify
from atpazit.referrals import access
from atpazit.referrals.models import (
    OPEN_STATUSES,
    Consent,
    Referral,
    Suspicion,
)
from atpazit.referrals.services.common import (
    RECIPIENT_PERMISSIONS,
    Track,
    check_open,
    check_sender,
    checked_date,
    clean_text,
    current_consent,
    date_errors,
    local_today,
    lock_suspicion,
    person_languages,
    raise_if_errors,
    referral_url,
    require_permission,
    suspicion_url,
)

# --- raising a suspicion (DESIGN.md §3 step 3) ---------------------------------------------------


def holding_suspicions(person: Person) -> QuerySet[Suspicion]:
    """The person's open suspicions that still hold the removal. One whose hold was released
    (by a decision, or four eyes) is over as far as the removal goes: a new suspicion — from a
    re-screening, or raised directly — starts a new episode with its own hold (I1), rather than
    going on with the released one."""
    return Suspicion.objects.filter(
        person=person, closed_at__isnull=True, hold__in=Hold.objects.active()
    )


@transaction.atomic
def raise_suspicion(
    *,
    actor: Actor,
    person: Person,
    reason: str,
    source_reference: str = "",
    orphans_court: Organisation | None = None,
) -> Suspicion:
    """Raise a credible suspicion about ``person`` and hold their removal at once (I1, I3).

    Needs ``referrals.suspicion:raise`` and the person in the actor's scope. Places a SUSPICION
    hold through the cases service; the person's unit confirms it (a deadline and a notification
    for its case officers), unless the actor is that unit's case officer, who confirms at once.
    Under 18 or age disputed fixes the child path (I4) and gives the orphan's court notice.
    Raises InvalidInput, NotAllowed, ServiceError (an open suspicion already exists).
    """
    organisation = require_permission(actor, "referrals.suspicion:raise")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if not persons_visible_to(actor).filter(pk=locked.pk).exists():
        raise NotAllowed(_("Your role does not allow this."))
    reason, source_reference = clean_text(reason), clean_text(source_reference)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Write why the suspicion is credible.")]
    if len(source_reference) > 64:
        errors["source_reference"] = [_("The reference is at most 64 characters.")]
    child = is_child(locked, local_today())
    court = _orphans_court(child, orphans_court, errors)
    raise_if_errors(errors)
    if holding_suspicions(locked).exists():
        raise ServiceError(
            _("%(case)s already has an open suspicion of trafficking: continue on it.")
            % {"case": locked.case_number}
        )
    hold = _place_hold(actor, locked, source_reference)
    suspicion = Suspicion.objects.create(
        person=locked,
        raised_by=actor.user,
        raised_by_organisation=organisation,
        reason=reason,
        source_reference=source_reference,
        hold=hold,
        child_path=child,
        orphans_court=court,
    )
    log_event(
        "suspicion.raised",
        obj=suspicion,
        details={
            "person": locked.pk,
            "hold": hold.pk,
            "child_path": child,
            "source": source_reference.split(":", 1)[0] if source_reference else "direct",
        },
    )
    _hold_confirmation(actor, suspicion)
    if court is not None:
        _give_child_notice(actor, suspicion, court)
    return suspicion


def _orphans_court(
    child: bool, chosen: Organisation | None, errors: dict[str, list[str]]
) -> Organisation | None:
    """The orphan's court to notify for a child: the one chosen, or the only one there is."""
    if not child:
        return None
    if chosen is not None:
        if chosen.type != OrganisationType.ORPHANS_COURT or not chosen.is_active:
            errors["orphans_court"] = [_("Choose an orphan's court.")]
        return chosen
    courts = list(
        Organisation.objects.filter(type=OrganisationType.ORPHANS_COURT, is_active=True)[:2]
    )
    if len(courts) == 1:
        return courts[0]
    if courts:
        errors["orphans_court"] = [_("Choose the orphan's court to notify about this child.")]
    # No orphan's court in the system: the suspicion is still raised (never block protection);
    # the missing notice shows on the suspicion page and in the audit trail.
    return None


def _place_hold(actor: Actor, person: Person, source_reference: str) -> Hold:
    return cases_services.place_hold(
        actor=actor,
        person=person,
        reason_code=SUSPICION_RAISED,
        cause=Hold.Cause.SUSPICION,
        cause_reference=source_reference or "suspicion",
    )


def _hold_confirmation(actor: Actor, suspicion: Suspicion) -> None:
    person = suspicion.person
    own_case_officer = access.is_unit(actor, suspicion) and actor.can("cases.hold:release")
    if own_case_officer:
        suspicion.hold = cases_services.confirm_hold(actor=actor, hold=suspicion.hold)
        return
    link = suspicion_url(suspicion)
    if suspicion.raised_by_organisation_id != person.organisation_id:
        # The Ombudsman's monitor raised it: the suspicion reaches the person's unit (I6).
        record_disclosure(
            from_organisation=suspicion.raised_by_organisation,
            to_organisation=person.organisation,
            subject=suspicion,
            legal_basis=Referral.LegalBasis.LAW,
            purpose="removal hold on a suspicion of trafficking",
            data_categories=["suspicion", "hold"],
            case_number=person.case_number,
            recorded_by=actor.user,
        )
    open_deadline(
        kind=Kind.HOLD_CONFIRMATION,
        subject=suspicion.hold,
        responsible_organisation=person.organisation,
        case_number=person.case_number,
        link=link,
    )
    notify(
        organisation=person.organisation,
        kind="hold.placed",
        link=link,
        case_number=person.case_number,
        permission="cases.hold:release",
    )


# What the orphan's court sees of a child's case (views: child_detail): enough to appoint a
# guardian and give best-interests input, never the grounds, notes or the packages.
CHILD_NOTICE_CATEGORIES = [
    "identity",
    "age",
    "sex",
    "nationality",
    "languages",
    "location",
    "hold",
    "referral_status",
]


def _give_child_notice(actor: Actor, suspicion: Suspicion, court: Organisation) -> None:
    person = suspicion.person
    record_disclosure(
        from_organisation=suspicion.raised_by_organisation,
        to_organisation=court,
        subject=suspicion,
        legal_basis=Referral.LegalBasis.LAW,
        purpose="child protection: guardian and best interests",
        data_categories=CHILD_NOTICE_CATEGORIES,
        case_number=person.case_number,
        recorded_by=actor.user,
    )
    notify(
        organisation=court,
        kind="child.guardian_notice",
        link=reverse("referrals:child_detail", kwargs={"pk": suspicion.pk}),
        case_number=person.case_number,
        permission="referrals.child:read",
    )
    log_event("child.notice_given", obj=suspicion, details={"to": court.pk})


@transaction.atomic
def confirm_suspicion_hold(*, actor: Actor, suspicion: Suspicion) -> Hold:
    """The person's unit confirms the suspicion's hold; meets the confirmation deadline.
    Needs ``cases.hold:create`` in the person's unit (checked by the cases service)."""
    hold = cases_services.confirm_hold(actor=actor, hold=suspicion.hold)
    meet_deadlines(subject=hold, kinds=[Kind.HOLD_CONFIRMATION])
    return hold


# --- consent (I5) ----------------------------------------------------------------------------


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    suspicion: Suspicion,
    decision: str,
    scope: str = "",
    language: str,
    interpreter_used: bool = False,
    interpreter_name: str = "",
    explained_on: dt.date | None,
) -> Consent:
    """Record an adult's informed decision on referral, explained by the actor.

    Needs ``referrals.consent:record`` in the organisation that raised the suspicion. A child
    needs no consent (I4). The explanation must be in a language the person speaks or through an
    interpreter. Raises InvalidInput naming each field, NotAllowed, ServiceError.
    """
    require_permission(actor, "referrals.consent:record")
    current = lock_suspicion(suspicion)
    check_sender(actor, current)
    check_open(current)
    if current.child_path:
        raise ServiceError(
            _(
                "No consent is needed for a child: the referral is made by law and the orphan's court is notified."
            )
        )
    errors = _consent_errors(
        current.person, decision, scope, language, interpreter_used, clean_text(interpreter_name)
    )
    date_errors(explained_on, "explained_on", errors)
    raise_if_errors(errors)
    consent = Consent.objects.create(
        suspicion=current,
        decision=decision,
        scope=scope if decision == Consent.Decision.GIVEN else "",
        language=language,
        interpreter_used=interpreter_used,
        interpreter_name=clean_text(interpreter_name) if interpreter_used else "",
        explained_by=actor.user,
        explained_on=checked_date(explained_on),
    )
    log_event(
        "consent.recorded",
        obj=consent,
        details={
            "suspicion": current.pk,
            "decision": decision,
            "scope": consent.scope,
            "language": language,
            "interpreter": interpreter_used,
        },
    )
    return consent


def _consent_errors(
    person: Person,
    decision: str,
    scope: str,
    language: str,
    interpreter_used: bool,
    interpreter: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if decision not in Consent.Decision.values:
        errors["decision"] = [_("Choose whether the person gave or refused consent.")]
    if decision == Consent.Decision.GIVEN and scope not in Consent.Scope.values:
        errors["scope"] = [_("Choose whom the person agreed to be referred to.")]
    if not geo.is_language(language):
        errors["language"] = [_("Choose the language the rights were explained in.")]
    elif not interpreter_used and person.languages and language not in person_languages(person):
        errors["language"] = [
            _(
                "The person does not speak %(language)s: explain through an interpreter, or in a language they speak."
            )
            % {"language": geo.language_name(language)}
        ]
    if interpreter_used and not interpreter:
        errors["interpreter_name"] = [_("Write who interpreted.")]
    return errors


@transaction.atomic
def withdraw_consent(*, actor: Actor, suspicion: Suspicion, note: str = "") -> Consent:
    """Record that the person withdrew their consent. From now on nothing more is disclosed on
    consent (referrals, messages); the recipients of open tracks are told (no personal data).
    Needs ``referrals.consent:record`` in the raising organisation."""
    require_permission(actor, "referrals.consent:record")
    current = lock_suspicion(suspicion)
    check_sender(actor, current)
    consent = current_consent(current)
    if consent is None or consent.decision != Consent.Decision.GIVEN or consent.withdrawn_at:
        raise ServiceError(_("There is no consent in force to withdraw."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_recorded_by = actor.user
    consent.withdrawal_note = clean_text(note)
    consent.save(update_fields=["withdrawn_at", "withdrawn_recorded_by", "withdrawal_note"])
    log_event("consent.withdrawn", obj=consent, details={"suspicion": current.pk})
    open_tracks = current.referrals.filter(
        status__in=OPEN_STATUSES, legal_basis=Referral.LegalBasis.CONSENT
    ).select_related("to_organisation")
    for referral in open_tracks:
        # The track is noted, not ended: the recipient keeps what it has and may still meet a
        # person who contacts it directly; it is told to disclose nothing more on this referral.
        log_event("referral.consent_withdrawn", obj=referral, details={"suspicion": current.pk})
        notify(
            organisation=referral.to_organisation,
            kind="consent.withdrawn",
            link=referral_url(referral),
            case_number=current.person.case_number,
            permission=RECIPIENT_PERMISSIONS[Track(referral.track)],
        )
    return consent
