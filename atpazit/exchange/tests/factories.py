"""A whole case for the secure-exchange tests: one suspicion referred on both tracks.

The rows are written by the referral factories (``atpazit.referrals.tests.factories``), so the
exchange is tested on its own; the referral services have their own tests. Every name is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from atpazit.accounts.models import User
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory
from atpazit.referrals.models import Referral
from atpazit.referrals.tests.factories import (
    ChildReferralFactory,
    ChildSuspicionFactory,
    ReferralFactory,
    SuspicionFactory,
)


@dataclass
class ExchangeCase:
    """A person of Jānis's unit referred to Līga's provider and to Māris's police unit."""

    provider_referral: Referral
    police_referral: Referral
    janis: User  # Border Guard officer of the unit that raised the suspicion
    liga: User  # caseworker at the provider
    maris: User  # investigator at the State Police


def exchange_case(*, janis: User, liga: User, maris: User, child: bool = False) -> ExchangeCase:
    """Jānis raised a suspicion about Dilshod and referred him on consent (a child: on the law)
    to Līga's provider and Māris's police unit."""
    riga, marta, police = (user.memberships.get().organisation for user in (janis, liga, maris))
    person_factory = ChildPersonFactory if child else PersonFactory
    person = person_factory(organisation=riga, given_names="Dilshod", family_name="Rahimov")
    suspicion_factory = ChildSuspicionFactory if child else SuspicionFactory
    suspicion = suspicion_factory(person=person, raised_by=janis)
    referral_factory = ChildReferralFactory if child else ReferralFactory
    provider_referral = referral_factory(suspicion=suspicion, to_organisation=marta)
    police_referral = referral_factory(
        suspicion=suspicion, to_organisation=police, track=Referral.Track.POLICE
    )
    return ExchangeCase(provider_referral, police_referral, janis, liga, maris)
