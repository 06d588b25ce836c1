"""Factories for the secure-exchange tests, one per state, and a test that builds each of them.

They write rows directly (a suspicion with its hold, consent, referral tracks), so the exchange
can be tested on its own; the referral services have their own tests. Every name is invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import factory
import pytest
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, UserFactory, member
from atpazit.cases.tests.factories import (
    ChildPersonFactory,
    PersonFactory,
    SuspicionHoldFactory,
)
from atpazit.referrals.models import Consent, Referral, Suspicion


class SuspicionFactory(factory.django.DjangoModelFactory):
    """An adult's suspicion raised by the Border Guard unit that registered them, with its hold."""

    class Meta:
        model = Suspicion

    person = factory.SubFactory(PersonFactory)
    raised_by = factory.SubFactory(UserFactory)
    raised_by_organisation = factory.SelfAttribute("person.organisation")
    reason = "Stāsta, ka darba devējs paņēma pasi un nemaksāja algu."
    hold = factory.SubFactory(
        SuspicionHoldFactory,
        person=factory.SelfAttribute("..person"),
        cause_reference="suspicion",
    )


class ChildSuspicionFactory(SuspicionFactory):
    """A 15-year-old: the child path (I4), no consent needed."""

    person = factory.SubFactory(ChildPersonFactory)
    child_path = True


class ConsentFactory(factory.django.DjangoModelFactory):
    """Informed consent given, for the provider and the police, explained in Russian."""

    class Meta:
        model = Consent

    suspicion = factory.SubFactory(SuspicionFactory)
    decision = Consent.Decision.GIVEN
    scope = Consent.Scope.BOTH
    language = "ru"
    explained_by = factory.SelfAttribute("suspicion.raised_by")
    explained_on = factory.LazyFunction(timezone.localdate)


class WithdrawnConsentFactory(ConsentFactory):
    withdrawn_at = factory.LazyFunction(timezone.now)
    withdrawn_recorded_by = factory.SelfAttribute("explained_by")
    withdrawal_note = "Persona vairs nevēlas sadarboties."


def _package(referral: Referral) -> str:
    return json.dumps(
        {"case_number": referral.suspicion.person.case_number, "track": referral.track}
    )


class ProviderReferralFactory(factory.django.DjangoModelFactory):
    """A referral to a service provider on the person's consent, just sent."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    suspicion = factory.SubFactory(SuspicionFactory)
    track = Referral.Track.PROVIDER
    to_organisation = factory.SubFactory(
        OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER
    )
    legal_basis = Referral.LegalBasis.CONSENT
    package = factory.LazyAttribute(_package)
    sent_by = factory.SelfAttribute("suspicion.raised_by")

    @factory.post_generation
    def consent(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        # A referral on consent implies consent was given (unless the test brings its own).
        on_consent = obj.legal_basis == Referral.LegalBasis.CONSENT and extracted is not False
        if create and on_consent and not obj.suspicion.consents.exists():
            ConsentFactory(suspicion=obj.suspicion)


class AcceptedProviderReferralFactory(ProviderReferralFactory):
    status = Referral.Status.ACCEPTED


class RecognisedProviderReferralFactory(ProviderReferralFactory):
    status = Referral.Status.RECOGNISED


class DeclinedProviderReferralFactory(ProviderReferralFactory):
    status = Referral.Status.DECLINED


class PoliceReferralFactory(ProviderReferralFactory):
    """The parallel police track of the same kind of case."""

    track = Referral.Track.POLICE
    to_organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.POLICE)


class ChildProviderReferralFactory(ProviderReferralFactory):
    """A child's referral: on the law (child protection), no consent."""

    suspicion = factory.SubFactory(ChildSuspicionFactory)
    legal_basis = Referral.LegalBasis.LAW


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory_class",
    [
        SuspicionFactory,
        ChildSuspicionFactory,
        ConsentFactory,
        WithdrawnConsentFactory,
        ProviderReferralFactory,
        AcceptedProviderReferralFactory,
        RecognisedProviderReferralFactory,
        DeclinedProviderReferralFactory,
        PoliceReferralFactory,
        ChildProviderReferralFactory,
    ],
)
def test_every_factory_builds(factory_class):
    obj = factory_class()
    assert obj.pk is not None


@pytest.mark.django_db
@pytest.mark.parametrize("child", [False, True])
def test_the_exchange_case_builds_both_tracks(child):
    case = exchange_case(child=child)
    assert {case.provider_referral.track, case.police_referral.track} == {"provider", "police"}
    assert case.provider_referral.suspicion_id == case.police_referral.suspicion_id


# --- a whole case with both tracks, and its people --------------------------------------------


def actor_of(user: User) -> Actor:
    return Actor(user=user, membership=user.memberships.select_related("organisation").get())


@dataclass
class ExchangeCase:
    """An adult referred on consent by the Riga Border Guard unit to a provider and the police."""

    provider_referral: Referral
    police_referral: Referral
    janis: User  # Border Guard officer of the unit that raised the suspicion
    liga: User  # caseworker at the provider
    maris: User  # investigator at the State Police


def exchange_case(*, child: bool = False, language: str = "lv") -> ExchangeCase:
    riga = OrganisationFactory(
        name="VRS Rīgas pārvalde (tests)", type=OrganisationType.BORDER_GUARD
    )
    marta = OrganisationFactory(name="Centrs MARTA (tests)", type=OrganisationType.SERVICE_PROVIDER)
    police = OrganisationFactory(name="Valsts policija (tests)", type=OrganisationType.POLICE)
    janis = member("bg_officer", riga, first_name="Jānis", last_name="Kalniņš", language=language)
    liga = member("caseworker", marta, first_name="Līga", last_name="Krūmiņa", language=language)
    maris = member(
        "investigator", police, first_name="Māris", last_name="Eglītis", language=language
    )
    person_factory = ChildPersonFactory if child else PersonFactory
    person = person_factory(organisation=riga, given_names="Dilshod", family_name="Rahimov")
    suspicion_factory = ChildSuspicionFactory if child else SuspicionFactory
    suspicion = suspicion_factory(person=person, raised_by=janis)
    referral_factory = ChildProviderReferralFactory if child else ProviderReferralFactory
    provider_referral = referral_factory(suspicion=suspicion, to_organisation=marta)
    police_referral = referral_factory(
        suspicion=suspicion, to_organisation=police, track=Referral.Track.POLICE
    )
    return ExchangeCase(provider_referral, police_referral, janis, liga, maris)
