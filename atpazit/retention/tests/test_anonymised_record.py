"""Someone opens an old case number after the purge: the person page and the start of a
screening say plainly that the record was anonymised and the person should be registered anew;
nothing is refused, a removal hold above all (I1)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.cases import services as case_services
from atpazit.cases.models import Person
from atpazit.retention import services
from atpazit.retention.tests.factories import end_of_today, finished_case

pytestmark = pytest.mark.django_db

DAYS = 100
NOTICE = "This record was anonymised after its retention period"


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ATPAZIT_RETENTION_CASE_DAYS = DAYS
    settings.ATPAZIT_RETENTION_MESSAGES_DAYS = DAYS


def test_an_anonymised_record_says_so_and_a_hold_can_still_be_placed(
    riga: Organisation, marta: Organisation, ilze: User, client_for
) -> None:
    case = finished_case(riga, marta)
    with time_machine.travel(end_of_today() + dt.timedelta(days=DAYS, minutes=1), tick=False):
        services.purge(apply=True)
    # A record registered since is not anonymised: no notice.
    fresh = finished_case(riga, marta).person
    client = client_for(ilze)
    for url in (
        reverse("cases:person_detail", args=[case.person.pk]),
        reverse("screening:session_start", args=[case.person.pk]),
    ):
        assert NOTICE in client.get(url).content.decode()
    assert (
        NOTICE not in client.get(reverse("cases:person_detail", args=[fresh.pk])).content.decode()
    )
    person = Person.objects.get(pk=case.person.pk)
    hold = case_services.place_hold(actor=actor_of(ilze), person=person, reason="Jauna aizdoma.")
    assert hold.is_active
