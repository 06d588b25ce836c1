"""The demo operations: built over the demo persons, one with a blocking conflict, idempotent."""

from __future__ import annotations

import pytest

from atpazit.accounts import demo as accounts_demo
from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.escalations.models import Escalation
from atpazit.removals import demo
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import conflicts_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_persons():
    """A handful of invented persons in each demo unit (the cases demo is tested on its own)."""
    accounts_demo.load()
    riga = Organisation.objects.get(name=demo.RIGA)
    daugavpils = Organisation.objects.get(name=demo.DAUGAVPILS)
    for nationality, count in (("UZ", 10), ("IN", 4)):
        for _ in range(count):
            PersonFactory(organisation=riga, nationality=nationality)
    for _ in range(3):
        PersonFactory(organisation=daugavpils, nationality="MD")


def test_it_builds_upcoming_operations_with_one_blocking_conflict(demo_persons):
    lines = demo.load()

    assert lines == [
        "removals: 3 demo operations added (3 in the demo set, 1 with a blocking conflict)"
    ]
    charter = RemovalOperation.objects.get(reference="RP-2026/014")
    assert charter.manifest.count() == 9
    assert [row.person.nationality for row in conflicts_for(charter)] == ["UZ"]
    assert Escalation.objects.filter(kind=Escalation.Kind.REMOVAL_CONFLICT).count() == 1
    flight = RemovalOperation.objects.get(reference="RP-2026/015")
    assert flight.status == RemovalOperation.Status.CONFIRMED
    assert set(
        Person.objects.filter(manifest_entries__operation=flight).values_list("status", flat=True)
    ) == {"removal_planned"}


def test_running_it_again_adds_nothing(demo_persons):
    demo.load()

    again = demo.load()

    assert again[0].startswith("removals: 0 demo operations added")
    assert RemovalOperation.objects.count() == 3
    assert Escalation.objects.count() == 1


def test_without_demo_persons_it_says_what_to_load_first(db):
    accounts_demo.load()

    assert demo.load() == ["removals: no demo persons yet; load the cases demo first"]
