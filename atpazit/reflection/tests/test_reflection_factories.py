"""Factories for the reflection-period and after-identification tests, one per state, a named
cast, and a test that builds each factory.

Factories write rows directly (a recognised suspicion, a running period, a SIVA request...), so
these features are tested on their own; the services under test are always called for real.
Every name is invented.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
from dataclasses import dataclass

import factory
import pytest
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, UserFactory, member
from atpazit.aftercare.models import (
    Rehabilitation,
    ResidencePermit,
    ReturnDecision,
    ServiceDecision,
    ServiceRequest,
)
from atpazit.cases.models import Hold
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory
from atpazit.referrals.models import CommissionAssessment, Consent, Referral, Suspicion
from atpazit.reflection.models import InformationSheet, ReflectionPeriod


def actor_of(user: User) -> Actor:
    return Actor(user=user, membership=user.memberships.select_related("organisation").get())


def today() -> dt.date:
    return timezone.localdate()


class SuspicionHoldFactory(factory.django.DjangoModelFactory):
    """The hold a suspicion places, already confirmed by the unit."""

    class Meta:
        model = Hold

    person = factory.SubFactory(PersonFactory)
    cause = Hold.Cause.SUSPICION
    cause_reference = "suspicion"
    reason = "Aizdomas par cilvēku tirdzniecību: identifikācija notiek."
    confirmed_at = factory.LazyFunction(timezone.now)


class FollowupSuspicionFactory(factory.django.DjangoModelFactory):
    """An Uzbek adult in Mucenieki, suspicion raised by the unit that registered him, consent
    given to the provider and the police."""

    class Meta:
        model = Suspicion
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    raised_by = factory.SubFactory(UserFactory)
    raised_by_organisation = factory.SelfAttribute("person.organisation")
    reason = "Darba devējs paturēja pasi; parāds par ceļu."
    hold = factory.SubFactory(SuspicionHoldFactory, person=factory.SelfAttribute("..person"))

    @factory.post_generation
    def consent(obj: Suspicion, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create and not obj.child_path and extracted is not False:
            Consent.objects.create(
                suspicion=obj,
                decision=Consent.Decision.GIVEN,
                scope=Consent.Scope.BOTH,
                language="ru",
                explained_by=obj.raised_by,
                explained_on=today(),
            )


class ChildFollowupSuspicionFactory(FollowupSuspicionFactory):
    person = factory.SubFactory(ChildPersonFactory)
    child_path = True


class ProviderTrackFactory(factory.django.DjangoModelFactory):
    """The provider track, accepted and under assessment."""

    class Meta:
        model = Referral

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    track = Referral.Track.PROVIDER
    to_organisation = factory.SubFactory(
        OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER
    )
    status = Referral.Status.ASSESSING
    legal_basis = factory.LazyAttribute(
        lambda r: Referral.LegalBasis.LAW if r.suspicion.child_path else Referral.LegalBasis.CONSENT
    )
    package = factory.LazyAttribute(
        lambda r: json.dumps({"case_number": r.suspicion.person.case_number})
    )
    sent_by = factory.SelfAttribute("suspicion.raised_by")


class RecognisedProviderTrackFactory(ProviderTrackFactory):
    """The provider's commission recognised the person (criteria met) on ``recognised_on``."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    status = Referral.Status.RECOGNISED

    @factory.post_generation
    def recognised_on(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            CommissionAssessment.objects.create(
                referral=obj,
                assessed_on=extracted or today(),
                members_present="sociālais darbinieks, psihologs, jurists, policists",
                result=CommissionAssessment.Result.CRITERIA_MET,
                protocol_reference="MARTA-2026/17",
                recorded_by=obj.sent_by,
            )


class PoliceTrackFactory(ProviderTrackFactory):
    track = Referral.Track.POLICE
    to_organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.POLICE)
    status = Referral.Status.ACCEPTED


class ReflectionPeriodFactory(factory.django.DjangoModelFactory):
    """A period granted today after recognition: 30 days, running."""

    class Meta:
        model = ReflectionPeriod

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    start_event = ReflectionPeriod.StartEvent.RECOGNITION
    granted_on = factory.LazyFunction(today)
    decision_reference = "VP-2026/404"
    starts_on = factory.SelfAttribute("granted_on")
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + dt.timedelta(days=30))
    recorded_by = factory.SelfAttribute("suspicion.raised_by")


class EndedReflectionPeriodFactory(ReflectionPeriodFactory):
    granted_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=40))


class InformationSheetFactory(factory.django.DjangoModelFactory):
    """A sheet produced today (a stand-in document; the PDF itself is tested in test_pdf_*)."""

    class Meta:
        model = InformationSheet

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    person_language = "ru"
    officer_language = "lv"
    generated_by = factory.SelfAttribute("suspicion.raised_by")
    document = base64.b64encode(b"%PDF-1.7 stand-in").decode()
    document_sha256 = hashlib.sha256(b"%PDF-1.7 stand-in").hexdigest()
    text_version = "2026-11"


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A provider asked SIVA for a service decision today."""

    class Meta:
        model = ServiceRequest

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    to_organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.SIVA)
    requested_by = factory.SubFactory(UserFactory)
    requested_by_organisation = factory.SubFactory(
        OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER
    )


class AssignedServiceDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDecision

    request = factory.SubFactory(ServiceRequestFactory)
    suspicion = factory.SelfAttribute("request.suspicion")
    decision = ServiceDecision.Decision.ASSIGNED
    decided_on = factory.LazyFunction(today)
    reference = "SIVA-2026/55"
    decided_by = factory.SubFactory(UserFactory)


class RehabilitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rehabilitation

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    provider = factory.SubFactory(OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER)
    started_on = factory.LazyFunction(today)


class GrantedResidencePermitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidencePermit

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    status = ResidencePermit.Status.GRANTED
    status_on = factory.LazyFunction(today)
    valid_until = factory.LazyFunction(lambda: today() + dt.timedelta(days=183))
    reference = "PMLP-2026/9"
    recorded_by = factory.SelfAttribute("suspicion.raised_by")


class ReturnDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnDecision

    suspicion = factory.SubFactory(FollowupSuspicionFactory)
    kind = ReturnDecision.Kind.VOLUNTARY_RETURN
    decided_on = factory.LazyFunction(today)
    reference = "RS-2026/AVR-3"
    recorded_by = factory.SelfAttribute("suspicion.raised_by")


# --- the cast ------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Dilshod's case: Riga unit, MARTA-like provider, the police, SIVA, the Ombudsman."""

    riga: Organisation
    provider: Organisation
    police: Organisation
    siva: Organisation
    ombudsman: Organisation
    ilze: User  # Border Guard case officer, Riga: records the grant, residence, return decisions
    janis: User  # Border Guard officer, Riga: gives the information sheet
    liga: User  # caseworker at the provider
    maris: User  # investigator, State Police
    sanita: User  # SIVA officer
    dace: User  # monitor, Ombudsman's Office
    suspicion: Suspicion
    provider_track: Referral


_casts = itertools.count(1)


def cast(
    *, recognised: bool = True, child: bool = False, recognised_on: dt.date | None = None
) -> Cast:
    n = next(_casts)
    riga = OrganisationFactory(
        name=f"VRS Rīgas pārvalde (tests {n})", type=OrganisationType.BORDER_GUARD
    )
    provider = OrganisationFactory(
        name=f"Centrs MARTA (tests {n})", type=OrganisationType.SERVICE_PROVIDER
    )
    police = OrganisationFactory(name=f"Valsts policija (tests {n})", type=OrganisationType.POLICE)
    siva = OrganisationFactory(name=f"SIVA (tests {n})", type=OrganisationType.SIVA)
    ombudsman = OrganisationFactory(
        name=f"Tiesībsarga birojs (tests {n})", type=OrganisationType.OMBUDSMAN
    )
    people = {
        "ilze": member(
            "bg_case_officer", riga, first_name="Ilze", last_name="Ozoliņa", language="en"
        ),
        "janis": member("bg_officer", riga, first_name="Jānis", last_name="Kalniņš", language="en"),
        "liga": member(
            "caseworker", provider, first_name="Līga", last_name="Krūmiņa", language="en"
        ),
        "maris": member(
            "investigator", police, first_name="Māris", last_name="Liepa", language="en"
        ),
        "sanita": member(
            "siva_officer", siva, first_name="Sanita", last_name="Zariņa", language="en"
        ),
        "dace": member("monitor", ombudsman, first_name="Dace", last_name="Bērziņa", language="en"),
    }
    person_factory = ChildPersonFactory if child else PersonFactory
    person = person_factory(organisation=riga, given_names="Dilshod", family_name="Karimov")
    suspicion_factory = ChildFollowupSuspicionFactory if child else FollowupSuspicionFactory
    suspicion = suspicion_factory(person=person, raised_by=people["janis"])
    track_factory = RecognisedProviderTrackFactory if recognised else ProviderTrackFactory
    extra = {"recognised_on": recognised_on} if recognised else {}
    track = track_factory(suspicion=suspicion, to_organisation=provider, **extra)
    PoliceTrackFactory(suspicion=suspicion, to_organisation=police)
    return Cast(
        riga, provider, police, siva, ombudsman, suspicion=suspicion, provider_track=track, **people
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory_class",
    [
        FollowupSuspicionFactory,
        ChildFollowupSuspicionFactory,
        ProviderTrackFactory,
        RecognisedProviderTrackFactory,
        PoliceTrackFactory,
        ReflectionPeriodFactory,
        EndedReflectionPeriodFactory,
        InformationSheetFactory,
        ServiceRequestFactory,
        AssignedServiceDecisionFactory,
        RehabilitationFactory,
        GrantedResidencePermitFactory,
        ReturnDecisionFactory,
    ],
)
def test_every_factory_builds(factory_class):
    assert factory_class().pk is not None


@pytest.mark.django_db
def test_the_cast_is_a_recognised_adult_with_two_tracks():
    case = cast()
    assert case.suspicion.referrals.count() == 2
    assert case.provider_track.commission_assessment.result == "criteria_met"
