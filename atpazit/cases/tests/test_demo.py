"""The demo set: a few hundred invented persons in both units, idempotent and deterministic."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from atpazit.accounts import demo as accounts_demo
from atpazit.cases import demo
from atpazit.cases.models import Hold, Person
from atpazit.escalations.models import Escalation


@pytest.mark.django_db
def test_the_demo_loads_a_realistic_set_once_and_running_it_again_adds_nothing():
    accounts_demo.load()
    first = demo.load()
    counts = (Person.objects.count(), Hold.objects.count(), Escalation.objects.count())

    again = demo.load()

    assert (Person.objects.count(), Hold.objects.count(), Escalation.objects.count()) == counts
    assert "320 demo persons added" in first[0]
    assert "0 demo persons added" in again[0]
    persons = Person.objects.all()
    assert persons.filter(organisation__name=demo.RIGA).count() == 190
    assert persons.filter(organisation__name=demo.DAUGAVPILS).count() == 130
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
