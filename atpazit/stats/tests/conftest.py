"""The statistics tests read the interface in English. Rihards is the national coordinator
(suppressed national figures), Ilze a case officer in Riga and Gunārs one in Daugavpils (exact
figures of their own unit), Vija the head of monitoring (exact national figures)."""

from __future__ import annotations

import random

import pytest
from django.utils import translation

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.referrals.models import Suspicion
from atpazit.referrals.tests.factories import SuspicionFactory
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import DecidedSessionFactory
from atpazit.stats.tests.factories import YEAR, in_year, set_fields


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


SEXES = ("male", "male", "female", "unknown")
COUNTRIES = ("UZ", "UZ", "IN", "LV", "LT", "EL", "ZZ", "RU", "VN")
STAGES = ("detention_intake", "pre_return_interview", "pre_departure")
DECISIONS = ("no_action", "no_action", "rescreen_next_stage", "raise_suspicion")
RECOMMENDATIONS = ("no_action", "rescreen_next_stage", "refer_for_identification")
FORMS = ("labour", "sexual", "unknown")


@pytest.fixture
def varied(riga: Organisation, daugavpils: Organisation) -> list[Person]:
    """60 persons of both units, of every sex, many ages (some by stated age only) and
    citizenships, screened 1-3 times in the year at every stage, with every recommendation and
    decision, plus screenings of other years and one still open; a suspicion for every fourth
    person, some on the child path."""
    rng = random.Random(2025)  # noqa: S311 - invented test data
    persons = []
    for number in range(60):
        unit = riga if number % 3 else daugavpils
        birth_year = None if number % 7 == 0 else rng.randint(1950, 2020)
        person = PersonFactory(
            organisation=unit,
            sex=rng.choice(SEXES),
            nationality=rng.choice(COUNTRIES),
            birth_year=birth_year,
            stated_age=rng.randint(10, 70) if birth_year is None and number % 2 else None,
        )
        persons.append(person)
        for _ in range(rng.randint(1, 3)):
            session = DecidedSessionFactory(
                person=person,
                organisation=rng.choice([riga, daugavpils]),
                stage=rng.choice(STAGES),
                exploitation_form=rng.choice(FORMS),
            )
            when = in_year(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            set_fields(
                ScreeningSession,
                session.pk,
                completed_at=when,
                decision=rng.choice(DECISIONS),
                recommendation=rng.choice(RECOMMENDATIONS),
            )
        if number % 5 == 0:  # screened another year too: not counted
            session = DecidedSessionFactory(person=person)
            set_fields(ScreeningSession, session.pk, completed_at=in_year(YEAR - 1))
        if number % 4 == 0:
            suspicion = SuspicionFactory(person=person, child_path=number % 8 == 0)
            set_fields(Suspicion, suspicion.pk, raised_at=in_year(YEAR, 1 + number % 12, 10))
    DecidedSessionFactory(person=persons[1], completed_at=None)  # open: not counted
    return persons
