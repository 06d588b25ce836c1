"""Who sees what of a mission (issue 12 item 8): the Border Guard sees missions announced to its
unit and the requests addressed to it, never the monitors' observations, answers or notes."""

from __future__ import annotations

from atpazit.accounts.tests.factories import actor_of
from atpazit.monitoring.models import ChecklistAnswer
from atpazit.monitoring.selectors import missions_visible_to
from atpazit.monitoring.tests.factories import (
    CancelledMissionFactory,
    ObservationFactory,
    PendingRemovalRequestFactory,
    stage_of,
)

OBSERVED = "Konvoja vadītājs kliedza uz izraidāmo."
NOTE = "Dzelži bez vajadzības visu ceļu."


def _with_internal_material(mission):
    ObservationFactory(mission=mission, text=OBSERVED)
    ChecklistAnswer.objects.create(
        stage=stage_of(mission), item_code="restraints_justified", answer="no", note=NOTE
    )
    mission.internal_notes = "Iekšēja piezīme par konvoju."
    mission.save()


def test_the_unit_does_not_see_a_mission_before_it_is_announced(planned, ilze, client_for):
    assert list(missions_visible_to(actor_of(ilze))) == []
    assert client_for(ilze).get(f"/monitoring/{planned.pk}/").status_code == 404


def test_the_unit_sees_the_announced_mission_without_the_monitors_material(
    announced, ilze, client_for
):
    _with_internal_material(announced)
    page = client_for(ilze).get(f"/monitoring/{announced.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stages covered" in text
    assert OBSERVED not in text
    assert NOTE not in text
    assert "Iekšēja piezīme" not in text
    assert "Observations" not in text


def test_the_monitor_sees_the_observations_and_the_notes(announced, dace, client_for):
    _with_internal_material(announced)
    text = client_for(dace).get(f"/monitoring/{announced.pk}/").content.decode()
    assert OBSERVED in text
    assert "Iekšēja piezīme par konvoju." in text


def test_another_unit_sees_nothing(announced, gunars, client_for):
    assert client_for(gunars).get(f"/monitoring/{announced.pk}/").status_code == 404


def test_the_unit_cannot_open_the_stage_page_or_the_monitors_check(announced, ilze, client_for):
    client = client_for(ilze)
    assert client.get(f"/monitoring/{announced.pk}/stage/pre_departure/").status_code == 403
    assert client.get(f"/monitoring/{announced.pk}/pre-departure/").status_code == 403


def test_a_mission_cancelled_before_it_was_announced_stays_hidden_from_the_unit(
    charter, ombudsman, ilze
):
    CancelledMissionFactory(operation=charter, organisation=ombudsman)
    assert list(missions_visible_to(actor_of(ilze))) == []


def test_the_unit_reads_the_request_addressed_to_it(announced, ilze, client_for):
    request = PendingRemovalRequestFactory(mission=announced)
    page = client_for(ilze).get(f"/monitoring/requests/{request.pk}/")
    assert page.status_code == 200
    assert request.reason in page.content.decode()


def test_another_office_sees_none_of_the_missions(announced):
    from atpazit.monitoring.tests.factories import monitor

    assert list(missions_visible_to(actor_of(monitor()))) == []
