"""A manual hold placed through the cases service on someone already on a manifest is a
blocking conflict at once, escalated to the Ombudsman; releasing the hold resolves it."""

from __future__ import annotations

import pytest

from atpazit.cases import services as cases_services
from atpazit.escalations.models import Escalation
from atpazit.removals.tests.factories import person_on

pytestmark = pytest.mark.django_db


def test_a_manual_hold_escalates_at_once_and_its_release_resolves_it(ilze_actor, operation):
    person = person_on(operation)
    hold = cases_services.place_hold(
        actor=ilze_actor, person=person, reason="Parāds darba devējam."
    )
    conflict = Escalation.objects.get(
        kind=Escalation.Kind.REMOVAL_CONFLICT, case_number=person.case_number
    )
    assert conflict.resolved_at is None

    cases_services.release_hold(
        actor=ilze_actor,
        hold=hold,
        reason="Pazīmes neapstiprinājās.",
        decision_reference="RS-1/2026",
    )
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None
