"""The removal tests read the interface in English. Personas come from tests/personas.py; the
services take an actor, so the case officers and the monitor also come as ``*_actor``."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.removals.models import RemovalOperation
from atpazit.removals.tests.factories import PlannedOperationFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def ilze_actor(ilze: User) -> Actor:
    return actor_of(ilze)


@pytest.fixture
def gunars_actor(gunars: User) -> Actor:
    return actor_of(gunars)


@pytest.fixture
def dace_actor(dace: User) -> Actor:
    return actor_of(dace)


@pytest.fixture
def operation(riga: Organisation) -> RemovalOperation:
    """A planned charter of the Riga unit, a week from now."""
    return PlannedOperationFactory(organisation=riga)
