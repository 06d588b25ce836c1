"""Personas for the referral tests (their pages in English, the source language), one per organisation of the journey. Every name is invented.

Riga's Border Guard unit (officer Jānis, case officers Ilze and Kristaps), Daugavpils's (case officer Gunārs),
the Ombudsman's Office (monitor Dace), two providers (Centrs MARTA: caseworker Līga, commission
member Edgars; Drošā māja: caseworker Anna), the State Police (investigator Māris), the Riga
orphan's court (Gunta), the national coordinator (Rihards) and the auditor (Olga).
"""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, member


def actor_of(user: User) -> Actor:
    return Actor(user=user, membership=user.memberships.select_related("organisation").get())


@pytest.fixture(autouse=True)
def english():
    """Assert on the English source strings."""
    with translation.override("en"):
        yield


def _org(name: str, kind: str) -> Organisation:
    return OrganisationFactory(name=name, type=kind)


@pytest.fixture
def riga(db) -> Organisation:
    return _org("VRS Rīgas pārvalde (tests)", OrganisationType.BORDER_GUARD)


@pytest.fixture
def daugavpils(db) -> Organisation:
    return _org("VRS Daugavpils pārvalde (tests)", OrganisationType.BORDER_GUARD)


@pytest.fixture
def ombudsman(db) -> Organisation:
    return _org("Tiesībsarga birojs (tests)", OrganisationType.OMBUDSMAN)


@pytest.fixture
def marta(db) -> Organisation:
    return _org("Centrs MARTA (tests)", OrganisationType.SERVICE_PROVIDER)


@pytest.fixture
def drosa_maja(db) -> Organisation:
    return _org("Drošā māja (tests)", OrganisationType.SERVICE_PROVIDER)


@pytest.fixture
def police(db) -> Organisation:
    return _org("Valsts policija (tests)", OrganisationType.POLICE)


@pytest.fixture
def orphans_court(db) -> Organisation:
    return _org("Rīgas bāriņtiesa (tests)", OrganisationType.ORPHANS_COURT)


@pytest.fixture
def janis(riga) -> User:
    """Border Guard officer in Riga: raises suspicions, records consent, sends referrals."""
    return member("bg_officer", riga, language="en", first_name="Jānis", last_name="Kalniņš")


@pytest.fixture
def ilze(riga) -> User:
    """Case officer in Riga: confirms and releases holds, documents risk, closes."""
    return member("bg_case_officer", riga, language="en", first_name="Ilze", last_name="Ozoliņa")


@pytest.fixture
def kristaps(riga) -> User:
    """A second case officer in Riga: the other pair of eyes on a release nobody decided."""
    return member(
        "bg_case_officer", riga, language="en", first_name="Kristaps", last_name="Liepiņš"
    )


@pytest.fixture
def gunars(daugavpils) -> User:
    return member(
        "bg_case_officer", daugavpils, language="en", first_name="Gunārs", last_name="Pētersons"
    )


@pytest.fixture
def dace(ombudsman) -> User:
    return member("monitor", ombudsman, language="en", first_name="Dace", last_name="Bērziņa")


@pytest.fixture
def liga(marta) -> User:
    return member("caseworker", marta, language="en", first_name="Līga", last_name="Krūmiņa")


@pytest.fixture
def edgars(marta) -> User:
    return member(
        "commission_member", marta, language="en", first_name="Edgars", last_name="Vītols"
    )


@pytest.fixture
def anna(drosa_maja) -> User:
    return member("caseworker", drosa_maja, language="en", first_name="Anna", last_name="Siliņa")


@pytest.fixture
def maris(police) -> User:
    return member("investigator", police, language="en", first_name="Māris", last_name="Eglītis")


@pytest.fixture
def gunta(orphans_court) -> User:
    return member(
        "child_protection_officer",
        orphans_court,
        language="en",
        first_name="Gunta",
        last_name="Balode",
    )


@pytest.fixture
def rihards(db) -> User:
    return member("national_coordinator", language="en", first_name="Rihards", last_name="Lapiņš")


@pytest.fixture
def olga(db) -> User:
    return member("auditor", language="en", first_name="Olga", last_name="Petrova")


@pytest.fixture
def person(riga):
    """An adult Uzbek national in Mucenieki, registered by Riga; speaks Uzbek and Russian."""
    from atpazit.cases.tests.factories import PersonFactory

    return PersonFactory(organisation=riga, given_names="Dilshod", family_name="Karimov")


@pytest.fixture
def child(riga):
    from atpazit.cases.tests.factories import ChildPersonFactory

    return ChildPersonFactory(organisation=riga, family_name="Rakhimov")
