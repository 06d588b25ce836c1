"""Statistics survive the purge (DESIGN §7): the dashboard and the official annual tables give
exactly the same figures before and after the cases behind them are anonymised, because the purge
keeps every row and every field they count and erases only what identifies a person."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.referrals.models import Suspicion
from atpazit.referrals.tests.factories import SuspicionFactory
from atpazit.retention import services
from atpazit.retention.tests.factories import end_of_today, finished_case
from atpazit.screening.catalogue import AgeGroup
from atpazit.screening.tests.factories import DecidedSessionFactory
from atpazit.stats import official, selectors
from atpazit.stats.selectors import Period

pytestmark = pytest.mark.django_db

DAYS = 100
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ATPAZIT_RETENTION_CASE_DAYS = DAYS
    settings.ATPAZIT_RETENTION_MESSAGES_DAYS = DAYS


@pytest.fixture
def cases(riga: Organisation, daugavpils: Organisation, marta: Organisation) -> list[Person]:
    """Finished cases of both sexes, several nationalities and ages, a child among them, beside
    live ones (an open suspicion, a registered person screened) that the purge keeps."""
    finished = [
        finished_case(riga, marta).person,
        finished_case(riga, marta, sex="female", nationality="VN", birth_year=1990).person,
        finished_case(daugavpils, marta, sex="female", nationality="UA", birth_year=2001).person,
        finished_case(daugavpils, marta, nationality="IN", birth_year=YEAR - 16).person,
        finished_case(riga, marta, nationality="LT", stated_age=40, birth_year=None).person,
    ]
    # The child was screened as a child (ADR 0014): an unscreened child's case is kept.
    DecidedSessionFactory(person=finished[3], age_group=AgeGroup.CHILD.value, person_age=16)
    SuspicionFactory(person=PersonFactory(organisation=riga, sex="female", nationality="NG"))
    DecidedSessionFactory(person=PersonFactory(organisation=daugavpils, nationality="UZ"))
    Suspicion.objects.filter(person__in=finished[:1]).update(
        closure_reason=Suspicion.ClosureReason.NOT_A_VICTIM
    )
    return finished


def figures(reader: User) -> tuple[object, object]:
    dashboard = selectors.dashboard(actor_of(reader), Period.calendar_year(YEAR))
    return dashboard, official.count_tables(YEAR)


@pytest.mark.parametrize("reader", ["vija", "rihards", "ilze"])
def test_the_dashboard_and_the_official_tables_are_identical_after_a_purge(
    reader: str, cases: list[Person], request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(reader)
    with time_machine.travel(end_of_today() + dt.timedelta(days=DAYS, minutes=1), tick=False):
        before = figures(user)
        run = services.purge(apply=True)
        after = figures(user)
    assert run.counts["return_case"] == len(cases)
    assert all(Person.objects.get(pk=p.pk).family_name == "" for p in cases)
    assert after == before
