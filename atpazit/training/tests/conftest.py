"""Fixtures for the training tests: the State Border Guard College with trainer Kārlis and
trainees Roberts and Elīna, and a trainee of another college (all invented)."""

from __future__ import annotations

import pytest

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType, Role
from atpazit.accounts.tests.factories import OrganisationFactory, member


@pytest.fixture
def college(db) -> Organisation:
    return OrganisationFactory(
        name="Valsts robežsardzes koledža (tests)", type=OrganisationType.COLLEGE
    )


@pytest.fixture
def other_college(db) -> Organisation:
    return OrganisationFactory(name="Cita koledža (tests)", type=OrganisationType.COLLEGE)


@pytest.fixture
def karlis(college) -> User:
    return member(Role.TRAINER, college, language="en", first_name="Kārlis", last_name="Grīnbergs")


@pytest.fixture
def roberts(college) -> User:
    return member(Role.TRAINEE, college, language="en", first_name="Roberts", last_name="Sproģis")


@pytest.fixture
def elina(college) -> User:
    return member(Role.TRAINEE, college, language="en", first_name="Elīna", last_name="Ozola")


@pytest.fixture
def outsider(other_college) -> User:
    return member(
        Role.TRAINEE, other_college, language="en", first_name="Pēteris", last_name="Lācis"
    )
