"""Query counts do not grow with the manifest (DESIGN §9): 5 persons cost what 60 cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atpazit.accounts.tests.factories import UserFactory
from atpazit.removals.selectors import conflicts_for, pre_departure_check
from atpazit.removals.tests.factories import PlannedOperationFactory, held_person_on, person_on

pytestmark = pytest.mark.django_db


def operation_of(organisation, *, size: int, held: int = 2):
    operation = PlannedOperationFactory(organisation=organisation)
    for _ in range(size - held):
        person_on(operation, age_disputed=True, interpreter_needed=True)
    for _ in range(held):
        held_person_on(operation)
    operation.manifest.update(added_by=UserFactory())
    return operation


def queries_for(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


@pytest.mark.parametrize("url_name", ["removals:operation_detail", "removals:pre_departure"])
def test_the_page_costs_the_same_for_5_and_60_persons(
    client_for, ilze, riga, url_name, django_assert_num_queries
):
    small, large = operation_of(riga, size=5), operation_of(riga, size=60)
    client = client_for(ilze)
    # Warm up each page once: the first visit raises the conflict escalations (writes).
    for operation in (small, large):
        assert client.get(reverse(url_name, args=[operation.pk])).status_code == 200

    expected = queries_for(lambda: client.get(reverse(url_name, args=[small.pk])))

    with django_assert_num_queries(expected):
        response = client.get(reverse(url_name, args=[large.pk]))
    assert response.content.decode().count("AT-2026-") >= 60


def test_the_pre_departure_check_is_fifteen_queries(riga, django_assert_num_queries):
    operation = operation_of(riga, size=60)

    # Entries with persons, who added them, active holds, latest screenings; then the guard's
    # answer for everyone (cases.holds.removal_blocks): holds of the persons and their linked
    # records, identity facts and keys of the persons, the key rows they share with others,
    # the keys of the shortlisted records, and the two registered removal preconditions
    # ("re-screen before removal", "a child is screened as a child", ADR 0014); the child rule
    # asks the matcher again for likely duplicates that say "child" (four queries when, as
    # here, the key rows match nobody; a few more, still constant, when they do).
    with django_assert_num_queries(15):
        check = pre_departure_check(operation)
        assert len(check.rows) == 60
        assert len(check.conflicts) == 2
        assert len(check.children) == 58


def test_conflicts_are_fifteen_queries(riga, django_assert_num_queries):
    operation = operation_of(riga, size=60, held=7)

    with django_assert_num_queries(15):
        assert len(conflicts_for(operation)) == 7


def test_the_operation_list_costs_the_same_for_3_and_30_operations(
    client_for, ilze, riga, django_assert_num_queries
):
    client = client_for(ilze)
    for _ in range(3):
        operation_of(riga, size=2, held=1)
    expected = queries_for(lambda: client.get(reverse("removals:operation_list")))
    for _ in range(27):
        operation_of(riga, size=2, held=1)

    with django_assert_num_queries(expected):
        client.get(reverse("removals:operation_list"))
