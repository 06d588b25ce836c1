"""Personas for the removal tests: two Border Guard units, the Ombudsman, and outsiders.

They read the interface in English, so tests assert on the source strings."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.removals.models import RemovalOperation
from atpazit.removals.tests.factories import PlannedOperationFactory, actor_of


@pytest.fixture(autouse=True)
def english():
    """Assert on the English source strings."""
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
def ilze_user(riga) -> User:
    """Case officer in Riga: plans operations, imports manifests, confirms them."""
    return member("bg_case_officer", riga, first_name="Ilze", last_name="Ozoliņa", language="en")


@pytest.fixture
def ilze(ilze_user) -> Actor:
    return actor_of(ilze_user)


@pytest.fixture
def janis_user(riga) -> User:
    """Escort officer in Riga: sees the unit's operations, cannot plan them."""
    return member("bg_officer", riga, first_name="Jānis", last_name="Kalniņš", language="en")


@pytest.fixture
def gunars_user(daugavpils) -> User:
    """Case officer in Daugavpils: another unit."""
    return member(
        "bg_case_officer", daugavpils, first_name="Gunārs", last_name="Pētersons", language="en"
    )


@pytest.fixture
def gunars(gunars_user) -> Actor:
    return actor_of(gunars_user)


@pytest.fixture
def dace_user(ombudsman) -> User:
    """Forced-return monitor at the Ombudsman's Office: sees every operation, changes none."""
    return member("monitor", ombudsman, first_name="Dace", last_name="Bērziņa", language="en")


@pytest.fixture
def dace(dace_user) -> Actor:
    return actor_of(dace_user)


@pytest.fixture
def operation(riga) -> RemovalOperation:
    """A planned charter of the Riga unit, a week from now."""
    return PlannedOperationFactory(organisation=riga)
