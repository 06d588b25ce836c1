"""The latest screening of each returnee in the pre-departure check, in a constant number of
queries (DESIGN §3 step 8, §9)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.removals.selectors import ScreeningStatus, pre_departure_check
from atpazit.removals.tests.factories import PlannedOperationFactory, person_on
from atpazit.screening.selectors import latest_screenings
from atpazit.screening.tests.factories import (
    DecidedSessionFactory,
    OpenSessionFactory,
    RescreenSessionFactory,
    SuspicionRaisedSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue", "english")]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_the_latest_decided_screening_counts(riga, janis):
    operation = PlannedOperationFactory(organisation=riga)
    person = person_on(operation)
    SuspicionRaisedSessionFactory(person=person, screener=janis, completed_at=days_ago(10))
    # At the pre-return interview: at pre-departure the advice would be R7, not a re-screen.
    latest = RescreenSessionFactory(
        person=person, screener=janis, completed_at=days_ago(2), stage="pre_return_interview"
    )
    OpenSessionFactory(person=person, screener=janis)  # in progress: not a screening yet

    screening = latest_screenings([person.pk])[person.pk]

    assert screening.session_id == latest.pk
    assert screening.stage == "pre_return_interview"
    assert screening.recommendation == "rescreen_next_stage"
    assert screening.decision == "rescreen_next_stage"
    assert screening.completed_at == latest.completed_at


def test_the_check_shows_not_screened_screened_and_suspicion_raised(riga, janis):
    operation = PlannedOperationFactory(organisation=riga)
    never = person_on(operation)
    screened = person_on(operation)
    suspected = person_on(operation)
    DecidedSessionFactory(person=screened, screener=janis)
    SuspicionRaisedSessionFactory(person=suspected, screener=janis)

    check = pre_departure_check(operation)

    status = {row.person.pk: row.screening for row in check.rows}
    assert status == {
        never.pk: ScreeningStatus.NOT_SCREENED,
        screened.pk: ScreeningStatus.SCREENED,
        suspected.pk: ScreeningStatus.SUSPICION_RAISED,
    }
    details = {row.person.pk: row.person.latest_screening for row in check.rows}
    assert details[never.pk] is None
    assert details[suspected.pk].decision_label == "raise a suspicion of trafficking"
    assert [row.person.pk for row in check.not_screened] == [never.pk]


def test_the_hook_is_one_query_for_5_or_60_persons(riga, janis, django_assert_num_queries):
    for size in (5, 60):
        operation = PlannedOperationFactory(organisation=riga)
        persons = [person_on(operation) for _ in range(size)]
        for person in persons[::2]:
            DecidedSessionFactory(person=person, screener=janis)
            RescreenSessionFactory(person=person, screener=janis)

        with django_assert_num_queries(1):
            found = latest_screenings(person.pk for person in persons)

        assert len(found) == len(persons[::2])


def test_the_pre_departure_check_costs_the_same_for_5_and_60_persons(
    riga, janis, django_assert_num_queries
):
    def operation_of(size):
        operation = PlannedOperationFactory(organisation=riga)
        for index in range(size):
            person = person_on(operation)
            if index % 3 == 0:
                DecidedSessionFactory(person=person, screener=janis)
        return operation

    small, large = operation_of(5), operation_of(60)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        pre_departure_check(small)

    with django_assert_num_queries(len(captured)):
        check = pre_departure_check(large)
    assert len(check.rows) == 60
    # Entries with persons, active holds, latest screenings; then the guard's answer for
    # everyone (cases.holds.removal_blocks: holds of the persons and their linked records,
    # their identity facts and keys, the key rows shared with others, the shortlisted keys,
    # "re-screen before removal", "a child is screened as a child" and, for it, the matcher
    # again for likely duplicates that say "child" (four more, ADR 0014).
    assert len(captured) == 14


def test_the_pre_departure_page_shows_the_screening_status(client_for, riga, janis, ilze):
    operation = PlannedOperationFactory(organisation=riga)
    suspected = person_on(operation)
    SuspicionRaisedSessionFactory(person=suspected, screener=janis)
    ilze.language = "en"
    ilze.save()

    response = client_for(ilze).get(reverse("removals:pre_departure", args=[operation.pk]))

    assert "suspicion raised" in response.content.decode()
