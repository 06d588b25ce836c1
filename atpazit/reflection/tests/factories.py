"""Factories for the reflection period and the information sheet, one per state, and the case
the reflection and aftercare tests follow (``cast``, a fixture of the conftest).

Factories write rows directly, so these features are tested on their own; the services under
test are always called for real. Every name is invented.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

import factory
from django.utils import timezone

from atpazit.accounts.models import Organisation, User
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.tests.factories import (
    AcceptedPoliceReferralFactory,
    AssessingReferralFactory,
    ConfirmedChildSuspicionFactory,
    ConsentedSuspicionFactory,
    RecognisedReferralFactory,
)
from atpazit.reflection.models import InformationSheet, ReflectionPeriod


def today() -> dt.date:
    return timezone.localdate()


class ReflectionPeriodFactory(factory.django.DjangoModelFactory):
    """A period granted today after recognition: 30 days, running."""

    class Meta:
        model = ReflectionPeriod

    suspicion = factory.SubFactory(ConsentedSuspicionFactory)
    start_event = ReflectionPeriod.StartEvent.RECOGNITION
    granted_on = factory.LazyFunction(today)
    decision_reference = "VP-2026/404"
    starts_on = factory.SelfAttribute("granted_on")
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + dt.timedelta(days=30))
    recorded_by = factory.SelfAttribute("suspicion.raised_by")


class EndedReflectionPeriodFactory(ReflectionPeriodFactory):
    """Granted forty days ago: the thirty days are over."""

    granted_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=40))


class InformationSheetFactory(factory.django.DjangoModelFactory):
    """A sheet produced today (a stand-in document; the PDF itself is tested in test_pdf_*)."""

    class Meta:
        model = InformationSheet

    suspicion = factory.SubFactory(ConsentedSuspicionFactory)
    person_language = "ru"
    officer_language = "lv"
    generated_by = factory.SelfAttribute("suspicion.raised_by")
    document = base64.b64encode(b"%PDF-1.7 stand-in").decode()
    document_sha256 = hashlib.sha256(b"%PDF-1.7 stand-in").hexdigest()
    text_version = "2026-11"


# --- the case the reflection and aftercare tests follow ------------------------------------------


@dataclass
class Cast:
    """Dilshod's case: the Riga unit, Centrs MARTA, the police, SIVA, the Ombudsman's Office and
    their people (tests/personas.py)."""

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


def dilshods_case(
    people: dict[str, User],
    *,
    recognised: bool = True,
    child: bool = False,
    recognised_on: dt.date | None = None,
) -> Cast:
    """Jānis raised a suspicion about Dilshod (consent given; a child: on the law), MARTA is
    assessing him or has recognised him (on ``recognised_on``, today unless given), the police
    accepted their track."""
    riga, provider, police, siva, ombudsman = (
        people[name].memberships.get().organisation
        for name in ("janis", "liga", "maris", "sanita", "dace")
    )
    person_factory = ChildPersonFactory if child else PersonFactory
    person = person_factory(organisation=riga, given_names="Dilshod", family_name="Karimov")
    suspicion_factory = ConfirmedChildSuspicionFactory if child else ConsentedSuspicionFactory
    suspicion = suspicion_factory(person=person, raised_by=people["janis"])
    basis = Referral.LegalBasis.LAW if child else Referral.LegalBasis.CONSENT
    if recognised:
        track = RecognisedReferralFactory(
            suspicion=suspicion,
            to_organisation=provider,
            legal_basis=basis,
            recognised_on=recognised_on or today(),
        )
    else:
        track = AssessingReferralFactory(
            suspicion=suspicion, to_organisation=provider, legal_basis=basis
        )
    AcceptedPoliceReferralFactory(suspicion=suspicion, to_organisation=police, legal_basis=basis)
    return Cast(
        riga,
        provider,
        police,
        siva,
        ombudsman,
        suspicion=suspicion,
        provider_track=track,
        **{name: people[name] for name in ("ilze", "janis", "liga", "maris", "sanita", "dace")},
    )
