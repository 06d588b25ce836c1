"""Every factory builds a consistent object (a broken factory fails here, not in a feature test)."""

from __future__ import annotations

import pytest

from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import conflicts_for
from atpazit.removals.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "status"),
    [
        (factories.PlannedOperationFactory, RemovalOperation.Status.PLANNED),
        (factories.ConfirmedOperationFactory, RemovalOperation.Status.CONFIRMED),
        (factories.CompletedOperationFactory, RemovalOperation.Status.COMPLETED),
        (factories.CancelledOperationFactory, RemovalOperation.Status.CANCELLED),
    ],
)
def test_each_operation_factory_builds_its_state(factory, status):
    operation = factory()

    assert operation.status == status
    assert operation.organisation.type == "border_guard"


def test_manifest_helpers_keep_persons_in_the_operations_unit():
    operation = factories.operation_with(3)
    held = factories.held_person_on(operation)
    entry = factories.ManifestEntryFactory(operation=operation)

    assert operation.manifest.count() == 5
    assert {e.person.organisation for e in operation.manifest.all()} == {operation.organisation}
    assert [row.person for row in conflicts_for(operation)] == [held]
    assert entry.person.organisation == operation.organisation


def test_case_officer_may_plan_in_their_unit():
    actor = factories.case_officer()

    assert actor.can("removals.operation:write")
    assert actor.organisation.type == "border_guard"
