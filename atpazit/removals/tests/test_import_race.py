"""Between validating a file and writing it, the persons are locked and checked again: someone
put on another open operation meanwhile is refused, and nothing from the file is written."""

from __future__ import annotations

import pytest

from atpazit.removals import manifest_import
from atpazit.removals.models import ManifestEntry
from atpazit.removals.services.manifest import _ImportRaced, _write_import
from atpazit.removals.tests.factories import PlannedOperationFactory, person_on

pytestmark = pytest.mark.django_db


def test_a_person_booked_elsewhere_after_validation_is_refused_and_nothing_is_written(
    ilze_actor, operation, riga
):
    other = PlannedOperationFactory(organisation=riga)
    free = person_on(other)
    ManifestEntry.objects.filter(person=free).delete()
    booked_meanwhile = person_on(other)  # validated as free, then added to another operation
    candidates = [
        manifest_import.Candidate(row=2, person=free),
        manifest_import.Candidate(row=3, person=booked_meanwhile),
    ]
    with pytest.raises(_ImportRaced) as refused:
        _write_import(ilze_actor, operation, candidates, "manifest.csv")
    assert [p.row for p in refused.value.problems] == [3]
    assert not ManifestEntry.objects.filter(operation=operation).exists()
