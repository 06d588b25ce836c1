"""The removal tests read the interface in English. Personas (and their ``*_actor``) come from
tests/personas.py."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.models import Organisation
from atpazit.removals.models import RemovalOperation
from atpazit.removals.tests.factories import PlannedOperationFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def operation(riga: Organisation) -> RemovalOperation:
    """A planned charter of the Riga unit, a week from now."""
    return PlannedOperationFactory(organisation=riga)
