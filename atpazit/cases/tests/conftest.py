"""Personas for the return-case tests: two Border Guard units, the Ombudsman, and outsiders."""

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
    """Assert on the English source strings (the personas' interface language is English too)."""
    with translation.override("en"):
        yield


@pytest.fixture
def riga(db) -> Organisation:
    return OrganisationFactory(
        name="VRS Rīgas pārvalde (tests)", type=OrganisationType.BORDER_GUARD
    )


@pytest.fixture
def daugavpils(db) -> Organisation:
    return OrganisationFactory(
        name="VRS Daugavpils pārvalde (tests)", type=OrganisationType.BORDER_GUARD
    )


@pytest.fixture
def ombudsman(db) -> Organisation:
    return OrganisationFactory(name="Tiesībsarga birojs (tests)", type=OrganisationType.OMBUDSMAN)


@pytest.fixture
def ilze(riga) -> User:
    """Case officer in Riga: registers persons, places and releases holds."""
    return member("bg_case_officer", riga, first_name="Ilze", last_name="Ozoliņa", language="en")


@pytest.fixture
def janis(riga) -> User:
    """Officer in Riga: sees persons and may place a hold, but not release one."""
    return member("bg_officer", riga, first_name="Jānis", last_name="Kalniņš", language="en")


@pytest.fixture
def gunars(daugavpils) -> User:
    """Case officer in Daugavpils: another unit."""
    return member(
        "bg_case_officer", daugavpils, first_name="Gunārs", last_name="Pētersons", language="en"
    )


@pytest.fixture
def dace(ombudsman) -> User:
    """Monitor at the Ombudsman's Office: sees every person and every escalation."""
    return member("monitor", ombudsman, first_name="Dace", last_name="Bērziņa", language="en")


@pytest.fixture
def liga(db) -> User:
    """Caseworker at a service provider: no persons until referrals exist."""
    return member("caseworker", first_name="Līga", last_name="Krūmiņa", language="en")
