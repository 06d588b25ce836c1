"""The monitoring tests read the interface in English. Personas come from tests/personas.py:
Vija (head of monitoring) plans, Dace (monitor) records, Ilze (case officer, Riga) runs the
operation and answers requests, Gunārs (Daugavpils) is another unit."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.models import Organisation, User
from atpazit.monitoring.models import Mission
from atpazit.monitoring.tests.factories import (
    AnnouncedMissionFactory,
    PlannedMissionFactory,
)
from atpazit.removals.models import RemovalOperation
from atpazit.removals.tests.factories import ConfirmedOperationFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def charter(riga: Organisation) -> RemovalOperation:
    """A confirmed charter of the Riga unit to Uzbekistan, a week from now."""
    return ConfirmedOperationFactory(organisation=riga, reference="RP-2026/DEMO")


@pytest.fixture
def planned(charter: RemovalOperation, ombudsman: Organisation, vija: User, dace: User) -> Mission:
    """Vija's mission for the charter with Dace as monitor, not announced yet."""
    return PlannedMissionFactory(
        operation=charter, organisation=ombudsman, planned_by=vija, monitors=[dace]
    )


@pytest.fixture
def announced(
    charter: RemovalOperation, ombudsman: Organisation, vija: User, dace: User
) -> Mission:
    """The same mission announced to the Riga unit: Dace may record it."""
    return AnnouncedMissionFactory(
        operation=charter, organisation=ombudsman, planned_by=vija, monitors=[dace]
    )
