"""Every place that counts an operation's blocking conflicts counts the same ones.

The operation list, the dashboard's conflicts panel and its upcoming-operations panel, the
operation page and the pre-departure check all read ``selectors.conflict_counts`` /
``conflicts_for``: a held person (own, linked or likely-duplicate hold) on any open operation,
and a child or age-disputed person without a child screening on a *confirmed* one (ADR 0014).
Before, the list and the panels counted held persons in SQL only and missed the child — the
unit's first screen said "no conflict" while the operation page said "blocking conflict".
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from atpazit.cases import services as cases
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import (
    conflict_counts,
    conflicts_for,
    operations_with_conflicts,
    pre_departure_check,
)
from atpazit.removals.tests.factories import (
    ConfirmedOperationFactory,
    ManifestEntryFactory,
    PlannedOperationFactory,
    held_person_on,
    person_on,
)
from atpazit.screening.catalogue import AgeGroup
from atpazit.screening.tests.factories import DecidedSessionFactory

pytestmark = pytest.mark.django_db

CHILD = {"birth_year": 2012}
AGE_DISPUTED = {"birth_year": 1999, "age_disputed": True}


@pytest.fixture
def operations(riga, ilze_actor) -> dict[str, RemovalOperation]:
    """One operation per kind of conflict, and ones without."""
    child_confirmed = ConfirmedOperationFactory(organisation=riga, reference="RP-CHILD")
    person_on(child_confirmed, **AGE_DISPUTED)
    person_on(child_confirmed)  # an unscreened adult: a warning, never a conflict

    held_and_child_planned = PlannedOperationFactory(organisation=riga, reference="RP-HELD")
    held_person_on(held_and_child_planned)
    person_on(held_and_child_planned, **CHILD)  # planned: a step to do, not a conflict

    screened = ConfirmedOperationFactory(organisation=riga, reference="RP-CALM")
    child = person_on(screened, **CHILD)
    DecidedSessionFactory(person=child, age_group=AgeGroup.CHILD.value, person_age=14)

    identity = {"family_name": "Karimova", "given_names": "Dilnoza", "birth_year": 1990}
    original = cases.register_person(actor=ilze_actor, data={**identity, "nationality": "UZ"})
    cases.place_hold(actor=ilze_actor, person=original, reason="Pase pie darba devēja.")
    second = cases.register_person(
        actor=ilze_actor, data={**identity, "family_name": "KARIMOVA", "nationality": "UZ"}
    )
    duplicate = ConfirmedOperationFactory(organisation=riga, reference="RP-DUP")
    ManifestEntryFactory(operation=duplicate, person=second)
    return {
        "RP-CHILD": child_confirmed,
        "RP-HELD": held_and_child_planned,
        "RP-CALM": screened,
        "RP-DUP": duplicate,
    }


EXPECTED = {"RP-CHILD": 1, "RP-HELD": 1, "RP-CALM": 0, "RP-DUP": 1}


def test_the_count_is_the_operation_pages_and_the_checks(operations):
    counts = conflict_counts(list(operations.values()))

    for reference, operation in operations.items():
        check = pre_departure_check(operation)
        assert counts[operation.pk] == EXPECTED[reference], reference
        assert len(check.conflicts) == EXPECTED[reference], reference
        assert len(conflicts_for(operation)) == EXPECTED[reference], reference


def test_the_dashboard_panel_lists_every_operation_with_a_conflict(operations, ilze_actor):
    listed = {
        operation.reference: operation.conflict_count
        for operation in operations_with_conflicts(ilze_actor)
    }

    assert listed == {reference: n for reference, n in EXPECTED.items() if n}


def test_the_operation_list_shows_the_same_counts(client_for, ilze, operations):
    html = client_for(ilze).get(reverse("removals:operation_list")).content.decode()

    for reference, expected in EXPECTED.items():
        [row] = [row for row in html.split("<tr") if f">{reference}" in row]
        shown = re.search(r"(\d+) blocking conflicts?", row)
        assert (int(shown.group(1)) if shown else 0) == expected, reference


def test_the_dashboard_shows_the_child_conflict(client_for, ilze, operations):
    html = client_for(ilze).get(reverse("web:dashboard")).content.decode()
    [panel] = [
        section.split("</section>", 1)[0]
        for section in html.split('<section class="card"')
        if "Removal operations with a blocking conflict</h2>" in section
    ]
    detail = reverse("removals:operation_detail", args=[operations["RP-CHILD"].pk])

    assert detail in panel
    assert "1 blocking conflict" in panel


def test_an_ended_operation_counts_none(operations, ilze_actor):
    from atpazit.removals import services

    services.cancel_operation(actor=ilze_actor, operation=operations["RP-CHILD"])
    operation = RemovalOperation.objects.get(pk=operations["RP-CHILD"].pk)

    assert conflict_counts([operation]) == {operation.pk: 0}
    assert "RP-CHILD" not in {o.reference for o in operations_with_conflicts(ilze_actor)}
