"""Search by case number and by blind-indexed name; the list filters; constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.cases.models import Person
from atpazit.cases.selectors import PersonFilters, person_list, persons_visible_to, search_persons
from atpazit.cases.tests.factories import (
    ManualHoldFactory,
    PersonFactory,
    ReleasedHoldFactory,
    RemovalPlannedPersonFactory,
)

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return sorted(p.case_number for p in search_persons(Person.objects.all(), query))


class TestNameSearch:
    @pytest.fixture
    def people(self, riga):
        return {
            "anna": PersonFactory(
                organisation=riga,
                case_number="AT-2026-000101",
                given_names="Anna",
                family_name="Bērziņa",
            ),
            "olga": PersonFactory(
                organisation=riga,
                case_number="AT-2026-000102",
                given_names="Olga",
                family_name="Ivanova",
                aliases="Ольга Иванова",
            ),
            "nguyen": PersonFactory(
                organisation=riga,
                case_number="AT-2026-000203",
                given_names="Thi Lan",
                family_name="Nguyen",
                aliases="Nguyễn Thị Lan",
            ),
        }

    @pytest.mark.parametrize(
        "query",
        ["Bērziņa", "berzina", "BERZINA", "BĒRZIŅA", "anna berzina", "Berzina, Anna"],
    )
    def test_diacritics_case_and_word_order_do_not_matter(self, people, query):
        assert found(query) == ["AT-2026-000101"]

    @pytest.mark.parametrize("query", ["Иванова", "иванова", "ОЛЬГА иванова", "Ivanova"])
    def test_cyrillic_and_latin_spellings_are_found(self, people, query):
        assert found(query) == ["AT-2026-000102"]

    def test_vietnamese_diacritics_fold_too(self, people):
        assert found("nguyen thi lan") == ["AT-2026-000203"]
        assert found("Nguyễn") == ["AT-2026-000203"]

    def test_every_word_must_match(self, people):
        assert found("Anna Ivanova") == []

    def test_words_are_matched_whole(self, people):
        assert found("Berz") == []

    def test_a_query_of_single_letters_finds_nobody(self, people):
        assert found("a b") == []

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("AT-2026-000101", ["AT-2026-000101"]),
            ("at-2026-0001", ["AT-2026-000101", "AT-2026-000102"]),
            ("2026-0002", ["AT-2026-000203"]),
            ("AT-2025", []),
        ],
    )
    def test_case_numbers_match_whole_or_by_their_beginning(self, people, query, expected):
        assert found(query) == expected

    def test_an_empty_query_keeps_everyone(self, people):
        assert len(found("")) == 3


class TestScope:
    def test_a_unit_sees_only_its_own_persons(self, ilze, gunars, riga, daugavpils):
        ours = PersonFactory(organisation=riga)
        PersonFactory(organisation=daugavpils)

        assert list(persons_visible_to(actor_of(ilze))) == [ours]

    def test_the_ombudsman_sees_every_person(self, dace, riga, daugavpils):
        PersonFactory(organisation=riga)
        PersonFactory(organisation=daugavpils)

        assert persons_visible_to(actor_of(dace)).count() == 2

    @pytest.mark.parametrize(
        "role", ["caseworker", "investigator", "national_coordinator", "auditor", "org_admin"]
    )
    def test_everyone_else_sees_no_person(self, role, riga):
        PersonFactory(organisation=riga)
        user = member(role, riga) if role in ("auditor", "org_admin") else member(role)

        assert not persons_visible_to(actor_of(user)).exists()


class TestListFilters:
    @pytest.fixture
    def cases(self, riga):
        today = timezone.localdate()
        held = RemovalPlannedPersonFactory(
            organisation=riga,
            case_number="AT-2026-000001",
            nationality="IN",
            planned_removal_date=today + timedelta(days=3),
            detention_centre="daugavpils",
        )
        ManualHoldFactory(person=held)
        released = RemovalPlannedPersonFactory(
            organisation=riga,
            case_number="AT-2026-000002",
            planned_removal_date=today + timedelta(days=20),
        )
        ReleasedHoldFactory(person=released)
        PersonFactory(organisation=riga, case_number="AT-2026-000003", nationality="VN")
        return today

    def numbers(self, actor, **filters):
        return [p.case_number for p in person_list(actor, PersonFilters(**filters))]

    def test_filters(self, ilze, cases):
        actor, today = actor_of(ilze), cases
        assert self.numbers(actor, status="removal_planned", sort="case_number") == [
            "AT-2026-000001",
            "AT-2026-000002",
        ]
        assert self.numbers(actor, nationality="VN") == ["AT-2026-000003"]
        assert self.numbers(actor, detention_centre="daugavpils") == ["AT-2026-000001"]
        assert self.numbers(actor, hold="yes") == ["AT-2026-000001"]
        assert self.numbers(actor, hold="no", sort="case_number") == [
            "AT-2026-000002",
            "AT-2026-000003",
        ]
        assert self.numbers(
            actor, removal_from=today + timedelta(days=10), removal_until=today + timedelta(days=30)
        ) == ["AT-2026-000002"]
        assert self.numbers(actor, removal_until=today + timedelta(days=5)) == ["AT-2026-000001"]

    def test_sorting(self, ilze, cases):
        actor = actor_of(ilze)
        assert self.numbers(actor, sort="-case_number") == [
            "AT-2026-000003",
            "AT-2026-000002",
            "AT-2026-000001",
        ]
        assert self.numbers(actor, sort="nationality")[0] == "AT-2026-000001"  # IN < UZ < VN

    def test_the_hold_flag_is_annotated(self, ilze, cases):
        flags = {
            p.case_number: p.has_active_hold for p in person_list(actor_of(ilze), PersonFilters())
        }
        assert flags == {"AT-2026-000001": True, "AT-2026-000002": False, "AT-2026-000003": False}

    def test_the_list_never_loads_names(self, ilze, cases):
        person = person_list(actor_of(ilze), PersonFilters())[0]
        assert {"given_names", "family_name", "aliases", "contact_details"} <= (
            person.get_deferred_fields()
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


class TestQueryCounts:
    """The list and the person page cost the same number of queries at any data size (§9)."""

    def test_the_list_query_count_does_not_grow_from_5_to_50_persons(
        self, ilze, riga, client_for, django_assert_num_queries
    ):
        client = client_for(ilze)
        url = reverse("cases:person_list") + "?sort=case_number"
        for _ in range(5):
            ManualHoldFactory(person=PersonFactory(organisation=riga))
        small = _queries(client, url)
        for _ in range(45):
            ManualHoldFactory(
                person=RemovalPlannedPersonFactory(organisation=riga, age_disputed=True)
            )

        with django_assert_num_queries(small):
            assert client.get(url).status_code == 200

    def test_a_name_search_costs_the_same_at_any_size(
        self, ilze, riga, client_for, django_assert_num_queries
    ):
        client = client_for(ilze)
        client.post(reverse("cases:person_list"), {"q": "Dilshod Karimov5"})  # kept in the session
        url = reverse("cases:person_list")
        for _ in range(5):
            PersonFactory(organisation=riga)
        small = _queries(client, url)
        for _ in range(45):
            PersonFactory(organisation=riga)

        with django_assert_num_queries(small):
            client.get(url)

    def test_the_person_page_query_count_does_not_grow_with_holds_and_history(
        self, ilze, riga, client_for, django_assert_num_queries
    ):
        client = client_for(ilze)
        person = PersonFactory(organisation=riga)
        ManualHoldFactory(person=person)
        url = reverse("cases:person_detail", args=[person.pk])
        small = _queries(client, url)
        for _ in range(10):
            ManualHoldFactory(person=person, started_by=ilze)
            ReleasedHoldFactory(person=person, released_by=ilze)
        for status in ["removal_planned", "registered"] * 5:
            person.status_changes.create(from_status="", to_status=status, changed_by=ilze)

        with django_assert_num_queries(small):
            client.get(url)
