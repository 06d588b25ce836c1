"""Finding a case by its serial number, and a search that never puts a name in the address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Person
from atpazit.cases.selectors import search_persons
from atpazit.cases.tests.factories import PersonFactory
from atpazit.cases.views import SEARCH_SESSION_KEY

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return sorted(p.case_number for p in search_persons(Person.objects.all(), query))


class TestByCaseNumber:
    @pytest.fixture
    def cases(self, riga):
        for number in ("AT-2026-000085", "AT-2026-000185", "AT-2025-000085", "AT-2026-008500"):
            PersonFactory(organisation=riga, case_number=number)

    @pytest.mark.parametrize("query", ["85", "000085", "0085", " 85 "])
    def test_the_serial_number_finds_the_case_of_every_year(self, cases, query):
        assert found(query) == ["AT-2025-000085", "AT-2026-000085"]

    @pytest.mark.parametrize(
        "query", ["2026-85", "2026-000085", "AT-2026-000085", "at 2026-000085"]
    )
    def test_year_and_serial_find_exactly_one(self, cases, query):
        assert found(query) == ["AT-2026-000085"]

    def test_the_beginning_of_a_number_still_works(self, cases):
        # "2026-0085" is the start of AT-2026-0085.. and, read as a serial, AT-2026-000085.
        assert found("2026-0085") == ["AT-2026-000085", "AT-2026-008500"]
        assert found("2025") == ["AT-2025-000085"]


@pytest.fixture
def anna(riga):
    return PersonFactory(
        organisation=riga,
        case_number="AT-2026-000101",
        given_names="Anna",
        family_name="Bērziņa",
    )


class TestTheSearchStaysOutOfTheAddress:
    def test_a_name_search_is_posted_and_the_address_carries_no_name(self, ilze, anna, client_for):
        client = client_for(ilze)
        posted = client.post(reverse("cases:person_list"), {"q": "berzina", "status": ""})
        assert posted.status_code == 302
        assert "berzina" not in posted.url
        assert "berzina" not in client.session[SEARCH_SESSION_KEY]

        page = client.get(posted.url)
        html = page.content.decode()
        assert anna.case_number in html
        assert 'method="post"' in html
        assert "Search again" in html
        event = AuditEvent.objects.filter(action="persons.listed").latest("sequence")
        assert event.details["filters"] == {"search": "name"}
        assert "berzina" not in str(event.details)

    def test_the_other_filters_stay_in_the_address_and_the_search_survives_paging(
        self, ilze, anna, client_for
    ):
        client = client_for(ilze)
        posted = client.post(reverse("cases:person_list"), {"q": "berzina", "status": "registered"})
        assert posted.url == reverse("cases:person_list") + "?status=registered"
        html = client.get(posted.url + "&page=1").content.decode()
        assert anna.case_number in html

    def test_a_search_in_the_address_is_dropped_and_never_replaces_the_kept_one(
        self, ilze, anna, riga, client_for
    ):
        other = PersonFactory(organisation=riga, family_name="Ozola")
        client = client_for(ilze)
        client.post(reverse("cases:person_list"), {"q": "berzina"})

        response = client.get(reverse("cases:person_list"), {"q": "ozola", "status": ""})

        assert response.status_code == 302
        assert "ozola" not in response.url
        html = client.get(response.url).content.decode()
        assert anna.case_number in html
        assert other.case_number not in html

    def test_an_empty_q_in_the_address_does_not_clear_the_kept_search(
        self, ilze, anna, riga, client_for
    ):
        other = PersonFactory(organisation=riga)
        client = client_for(ilze)
        client.post(reverse("cases:person_list"), {"q": "berzina"})

        client.get(reverse("cases:person_list") + "?q=")

        assert other.case_number not in client.get(reverse("cases:person_list")).text

    def test_search_again_clears_the_search(self, ilze, anna, riga, client_for):
        other = PersonFactory(organisation=riga)
        client = client_for(ilze)
        client.post(reverse("cases:person_list"), {"q": "berzina", "status": "registered"})
        cleared = client.post(reverse("cases:person_list"), {"clear": "1", "q": "berzina"})
        assert cleared.url == reverse("cases:person_list")
        assert SEARCH_SESSION_KEY not in client.session
        assert other.case_number in client.get(cleared.url).content.decode()

    def test_a_case_number_in_the_address_finds_the_case_and_keeps_the_search(
        self, ilze, anna, riga, client_for
    ):
        other = PersonFactory(organisation=riga, case_number="AT-2026-000202")
        client = client_for(ilze)
        client.post(reverse("cases:person_list"), {"q": "berzina"})

        linked = client.get(reverse("cases:person_list"), {"case": "AT-2026-000202"}).text
        kept = client.get(reverse("cases:person_list")).text

        assert other.case_number in linked
        assert anna.case_number not in linked
        assert anna.case_number in kept
        assert other.case_number not in kept

    def test_a_name_in_the_case_parameter_is_not_searched(self, ilze, anna, riga, client_for):
        other = PersonFactory(organisation=riga)

        page = client_for(ilze).get(reverse("cases:person_list"), {"case": "berzina"}).text

        assert other.case_number in page  # the whole list: "berzina" is not a case number

    def test_the_case_number_search_finds_the_last_digits_from_the_page(
        self, ilze, anna, client_for
    ):
        client = client_for(ilze)
        client.post(reverse("cases:person_list"), {"q": "101"})
        assert anna.case_number in client.get(reverse("cases:person_list")).content.decode()


class TestTheKeptSearchInTheSessionStore:
    def test_the_name_is_not_stored_in_clear_in_the_session_table(self, ilze, anna, client_for):
        client_for(ilze).post(reverse("cases:person_list"), {"q": "Bērziņa"})

        # What anyone reading the table (and the signing key) gets: the session's whole content.
        decoded = [str(session.get_decoded()) for session in Session.objects.all()]
        assert decoded
        assert not any("Bērziņa" in text for text in decoded)

    def test_expired_sessions_are_deleted_by_the_tick(self, ilze, anna, client_for):
        client_for(ilze).post(reverse("cases:person_list"), {"q": "berzina"})
        Session.objects.update(expire_date=timezone.now() - dt.timedelta(minutes=1))

        call_command("tick")

        assert not Session.objects.exists()
