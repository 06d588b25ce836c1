"""The demo set: a few hundred invented persons in both units, idempotent and deterministic."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from atpazit.accounts import demo as accounts_demo
from atpazit.cases import demo
from atpazit.cases.matching import blocking_matches
from atpazit.cases.models import Hold, Person
from atpazit.escalations.models import Escalation


@pytest.mark.django_db
def test_the_demo_loads_a_realistic_set_once_and_running_it_again_adds_nothing():
    accounts_demo.load()
    first = demo.load()
    counts = (Person.objects.count(), Hold.objects.count(), Escalation.objects.count())

    again = demo.load()

    assert (Person.objects.count(), Hold.objects.count(), Escalation.objects.count()) == counts
    assert "323 demo persons added" in first[0]
    assert "0 demo persons added" in again[0]
    persons = Person.objects.all()
    assert persons.filter(organisation__name=demo.RIGA).count() == 192
    assert persons.filter(organisation__name=demo.DAUGAVPILS).count() == 131
    assert {"daugavpils", "mucenieki"} <= set(persons.values_list("detention_centre", flat=True))
    assert len(set(persons.values_list("nationality", flat=True))) >= 12
    assert persons.filter(age_disputed=True).exists()
    active = Hold.objects.active()
    assert active.filter(cause="manual").exists()
    assert active.filter(cause="suspicion", confirmed_at__isnull=True).exists()
    assert active.filter(person__status="removal_planned").exists()  # held but planned: a conflict
    assert not active.filter(person__status="departed").exists()
    assert Escalation.objects.filter(kind="hold_released").exists()
    aliases = " ".join(p.aliases for p in persons)
    assert any(char in aliases for char in "šžč")
    assert any("\u0400" <= char <= "\u04ff" for char in aliases)


def test_the_demo_plan_is_the_same_every_time():
    today = timezone.localdate()

    def plans() -> list[dict]:
        rng = random.Random(demo.SEED)  # noqa: S311
        return [demo._plan(rng, "RP", i, "mucenieki", today) for i in range(1, 40)]

    assert plans() == plans()


@pytest.mark.django_db
def test_the_demo_shows_one_held_person_registered_three_times():
    accounts_demo.load()
    demo.load()
    year = timezone.localdate().year
    riga, again, swapped = (
        Person.objects.get(return_decision_reference=f"RS/{code}-{year}-DUP{n}")
        for code, n in (("RP", 1), ("DP", 2), ("RP", 3))
    )

    blocking = blocking_matches([again.pk, swapped.pk])

    assert [d.other.pk for d in blocking[again.pk]] == [riga.pk]
    assert [d.other.pk for d in blocking[swapped.pk]] == [riga.pk]
    # Nothing else in the demo is a held likely duplicate of anyone.
    everyone = list(Person.objects.values_list("pk", flat=True))
    assert set(blocking_matches(everyone)) == {again.pk, swapped.pk}
