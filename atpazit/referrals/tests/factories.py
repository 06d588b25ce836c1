"""Factories for the referral flow, one per state a test needs. Every name is invented.

They write rows directly, like the cases factories; tests of the services call the services.
``suspicion_in(unit)`` and ``referral_to(organisation)`` build objects inside a given scope.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, UserFactory
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory, SuspicionHoldFactory
from atpazit.lib.weeks import iso_week
from atpazit.referrals.models import (
    AnonymousNotification,
    CommissionAssessment,
    Consent,
    HoldReleaseProposal,
    LabourNotice,
    PoliceOutcome,
    Referral,
    ReferralTransition,
    ReturnRiskAssessment,
    Suspicion,
)


class SuspicionFactory(factory.django.DjangoModelFactory):
    """An open suspicion about an adult, raised by the person's own unit; hold not yet confirmed."""

    class Meta:
        model = Suspicion

    person = factory.SubFactory(PersonFactory)
    raised_by = factory.SubFactory(UserFactory)
    raised_by_organisation = factory.SelfAttribute("person.organisation")
    reason = "Stāsta, ka darba devējs paturēja pasi un nemaksāja algu."
    hold = factory.LazyAttribute(
        lambda s: SuspicionHoldFactory(person=s.person, cause_reference="suspicion")
    )


class ConfirmedSuspicionFactory(SuspicionFactory):
    hold = factory.LazyAttribute(
        lambda s: SuspicionHoldFactory(
            person=s.person, cause_reference="suspicion", confirmed_at=timezone.now()
        )
    )


class ChildSuspicionFactory(SuspicionFactory):
    person = factory.SubFactory(ChildPersonFactory)
    child_path = True
    orphans_court = factory.SubFactory(OrganisationFactory, type=OrganisationType.ORPHANS_COURT)


class ConfirmedChildSuspicionFactory(ChildSuspicionFactory):
    """A child's suspicion whose hold the unit has confirmed."""

    hold = factory.LazyAttribute(
        lambda s: SuspicionHoldFactory(
            person=s.person, cause_reference="suspicion", confirmed_at=timezone.now()
        )
    )


class ConsentedSuspicionFactory(ConfirmedSuspicionFactory):
    """Hold confirmed, and the adult consented to both tracks (``consent=False``: not asked yet)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def consent(obj: Suspicion, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create and not obj.child_path and extracted is not False:
            ConsentGivenFactory(suspicion=obj)


class ConsentGivenFactory(factory.django.DjangoModelFactory):
    """Consent to both tracks, explained in Russian (which the default person speaks)."""

    class Meta:
        model = Consent

    suspicion = factory.SubFactory(SuspicionFactory)
    decision = Consent.Decision.GIVEN
    scope = Consent.Scope.BOTH
    language = "ru"
    explained_by = factory.SelfAttribute("suspicion.raised_by")
    explained_on = factory.LazyFunction(timezone.localdate)


class ConsentRefusedFactory(ConsentGivenFactory):
    decision = Consent.Decision.REFUSED
    scope = ""


class WithdrawnConsentFactory(ConsentGivenFactory):
    """Consent given, then withdrawn by the person: nothing more may leave (I6)."""

    withdrawn_at = factory.LazyFunction(timezone.now)
    withdrawn_recorded_by = factory.SelfAttribute("explained_by")
    withdrawal_note = "Persona vairs nevēlas sadarboties."


class ReferralFactory(factory.django.DjangoModelFactory):
    """A provider-track referral just sent on consent, with the consent it was sent on (a test
    that brings its own passes ``consent=False`` or creates the consent first)."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    suspicion = factory.SubFactory(SuspicionFactory)
    track = Referral.Track.PROVIDER
    to_organisation = factory.SubFactory(
        OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER
    )
    legal_basis = Referral.LegalBasis.CONSENT
    package = '{"case_number": "AT-2026-900000", "family_name": "Karimov"}'
    sent_by = factory.SelfAttribute("suspicion.raised_by")

    @factory.post_generation
    def consent(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        on_consent = obj.legal_basis == Referral.LegalBasis.CONSENT and extracted is not False
        if create and on_consent and not obj.suspicion.consents.exists():
            ConsentGivenFactory(suspicion=obj.suspicion)


class PoliceReferralFactory(ReferralFactory):
    track = Referral.Track.POLICE
    to_organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.POLICE)


class ChildReferralFactory(ReferralFactory):
    """A child's provider-track referral: on the law (child protection), no consent (I4)."""

    suspicion = factory.SubFactory(ChildSuspicionFactory)
    legal_basis = Referral.LegalBasis.LAW


class AcceptedPoliceReferralFactory(PoliceReferralFactory):
    status = Referral.Status.ACCEPTED


class AcceptedReferralFactory(ReferralFactory):
    status = Referral.Status.ACCEPTED


class AssessingReferralFactory(ReferralFactory):
    status = Referral.Status.ASSESSING


class DeclinedReferralFactory(ReferralFactory):
    status = Referral.Status.DECLINED


class RecognisedReferralFactory(ReferralFactory):
    """The provider's commission recognised the person (criteria met) on ``recognised_on``
    (yesterday unless given)."""

    class Meta:
        skip_postgeneration_save = True

    status = Referral.Status.RECOGNISED

    @factory.post_generation
    def recognised_on(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            CommissionAssessment.objects.create(
                referral=obj,
                assessed_on=extracted or timezone.localdate() - datetime.timedelta(days=1),
                members_present="Sociālā darbiniece Zane; psihologs Aivars; juriste Māra",
                result=CommissionAssessment.Result.CRITERIA_MET,
                protocol_reference="MARTA-2026/14",
                notes="Komisijas piezīmes: konfidenciāli.",
                recorded_by=obj.sent_by,
            )


class PoliceDeclinedReferralFactory(PoliceReferralFactory):
    class Meta:
        skip_postgeneration_save = True

    status = Referral.Status.NOT_RECOGNISED

    @factory.post_generation
    def outcome(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            PoliceOutcome.objects.create(
                referral=obj,
                proceedings=PoliceOutcome.Proceedings.DECLINED,
                decided_on=timezone.localdate(),
                notes="Policijas piezīmes.",
                updated_by=obj.sent_by,
            )


class AnonymousNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnonymousNotification

    suspicion = factory.SubFactory(SuspicionFactory)
    to_organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.POLICE)
    payload = factory.LazyFunction(
        lambda: {
            "sex": "male",
            "age_band": "30-38",
            "nationality": "UZ",
            "indicators": ["DR-01"],
            "place": "pieriga",
            "date": iso_week(timezone.localdate()),
        }
    )
    sent_by = factory.SelfAttribute("suspicion.raised_by")


class LabourNoticeFactory(factory.django.DjangoModelFactory):
    """A de-identified R4 notice to a labour inspectorate, from a decided screening."""

    class Meta:
        model = LabourNotice

    screening = factory.SubFactory(
        "atpazit.screening.tests.factories.DecidedSessionFactory",
        decision="labour_inspectorate",
    )
    from_organisation = factory.SelfAttribute("screening.organisation")
    to_organisation = factory.SubFactory(
        OrganisationFactory, type=OrganisationType.LABOUR_INSPECTORATE
    )
    payload = factory.LazyFunction(
        lambda: {
            "sex": "male",
            "age_band": "30-38",
            "nationality": "UZ",
            "indicators": ["EX-01"],
            "place": "latgale",
            "date": iso_week(timezone.localdate()),
        }
    )
    sent_by = factory.SelfAttribute("screening.screener")


class WithdrawnReferralFactory(ReferralFactory):
    """Withdrawn by the sender: no outcome of identification (I1)."""

    status = Referral.Status.WITHDRAWN


class PendingReleaseProposalFactory(factory.django.DjangoModelFactory):
    """A four-eyes release proposal waiting for a second case officer. The fingerprint is a
    placeholder: approving it finds the case changed (stale) unless ``case_state`` is set."""

    class Meta:
        model = HoldReleaseProposal

    suspicion = factory.SubFactory(SuspicionFactory)
    hold = factory.SelfAttribute("suspicion.hold")
    basis = "tracks_without_outcome"
    reason = "Abi novirzījumi atsaukti; risks zems."
    decision_reference = "RP-2026/777"
    case_state = "0" * 64
    proposed_by = factory.SubFactory(UserFactory)


class ReturnRiskAssessmentFactory(factory.django.DjangoModelFactory):
    """The risk of return documented today, in Russian: low, a brother meets the person."""

    class Meta:
        model = ReturnRiskAssessment

    suspicion = factory.SubFactory(SuspicionFactory)
    rights_explained_in = "ru"
    risk_of_retrafficking = "low"
    who_meets_at_handover = "Brālis Taškentā"
    assessment = "Parāda nav; ģimene sagaida."
    assessed_by = factory.SelfAttribute("suspicion.raised_by")
    assessed_on = factory.LazyFunction(timezone.localdate)


def suspicion_in(unit: Organisation, **fields: object) -> Suspicion:
    """An open suspicion about a person of ``unit``, raised by ``unit``."""
    person = PersonFactory(organisation=unit)
    return SuspicionFactory(person=person, raised_by_organisation=unit, **fields)


def child_suspicion_in(unit: Organisation, **fields: object) -> Suspicion:
    """An open child-path suspicion about a child of ``unit``, raised by ``unit``; ``fields``
    name the orphan's court, who raised it, ... (a new court when not given)."""
    person = ChildPersonFactory(organisation=unit)
    return ChildSuspicionFactory(person=person, raised_by_organisation=unit, **fields)


def referral_to(organisation: Organisation, **fields: object) -> Referral:
    """A referral sent to ``organisation`` on the track its type receives."""
    if organisation.type == OrganisationType.POLICE:
        return PoliceReferralFactory(to_organisation=organisation, **fields)
    return ReferralFactory(to_organisation=organisation, **fields)


def history(referral: Referral, *statuses: str) -> None:
    """Transition rows for a referral a factory put straight into a later status."""
    previous = Referral.Status.SENT
    for status in statuses:
        ReferralTransition.objects.create(referral=referral, from_status=previous, to_status=status)
        previous = status
