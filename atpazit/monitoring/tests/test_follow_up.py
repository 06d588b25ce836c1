"""From an observation about a person the monitor opens a screening or raises a suspicion,
through the screening and referral services (issue 12 item 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.cases.models import Hold
from atpazit.lib.errors import ServiceError
from atpazit.monitoring import services
from atpazit.monitoring.models import Observation
from atpazit.monitoring.tests.factories import ObservationFactory
from atpazit.removals.tests.factories import person_on
from atpazit.screening.models import ScreeningSession


@pytest.fixture
def about_someone(announced):
    person = person_on(announced.operation)
    return ObservationFactory(
        mission=announced,
        person=person,
        category=Observation.Category.TRAFFICKING,
        severity=Observation.Severity.URGENT,
        recorded_by=announced.monitors.first(),
        text="Pavadonis atņēma pasi un runā viņas vietā.",
    )


def test_raising_a_suspicion_holds_the_removal_at_once(dace_actor, about_someone):
    suspicion = services.raise_suspicion_from_observation(
        actor=dace_actor, observation=about_someone, reason="Pase atņemta, runā cits."
    )
    assert suspicion.person == about_someone.person
    assert suspicion.source_reference == f"monitoring.observation:{about_someone.pk}"
    assert Hold.objects.active().filter(person=about_someone.person).exists()
    about_someone.refresh_from_db()
    assert about_someone.follow_up == f"suspicion:{suspicion.pk}"
    with pytest.raises(ServiceError, match="already done"):
        services.raise_suspicion_from_observation(
            actor=dace_actor, observation=about_someone, reason="vēlreiz"
        )


def test_a_refused_suspicion_leaves_the_observation_as_it_was(dace_actor, about_someone):
    from atpazit.lib.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.raise_suspicion_from_observation(
            actor=dace_actor, observation=about_someone, reason=""
        )
    about_someone.refresh_from_db()
    assert about_someone.follow_up == ""
    assert not Hold.objects.filter(person=about_someone.person).exists()


def test_the_monitor_opens_a_screening_from_the_page(about_someone, dace, client_for):
    client = client_for(dace)
    page = client.get(f"/monitoring/observations/{about_someone.pk}/screening/")
    assert page.status_code == 200
    response = client.post(
        f"/monitoring/observations/{about_someone.pk}/screening/",
        {
            "stage": "pre_departure",
            "interview_language": "uz",
            "prompt_language": "ru",
            "officer_language": "lv",
            "exploitation_form": "unknown",
        },
    )
    session = ScreeningSession.objects.get(person=about_someone.person)
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:session_interview", args=[session.pk])
    about_someone.refresh_from_db()
    assert about_someone.follow_up == f"screening:{session.pk}"


def test_only_the_missions_monitors_follow_up_an_observation(
    about_someone, ilze, ombudsman, client_for
):
    from atpazit.monitoring.tests.factories import monitor

    url = f"/monitoring/observations/{about_someone.pk}/suspicion/"
    assert client_for(ilze).get(url).status_code == 403
    assert client_for(monitor(ombudsman)).get(url).status_code == 404
