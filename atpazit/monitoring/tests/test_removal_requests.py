"""The monitor asks the escort leader to take a person off the manifest; the Border Guard's
answer is recorded (issue 12 item 4)."""

from __future__ import annotations

import pytest

from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.monitoring import services
from atpazit.monitoring.models import RemovalRequest
from atpazit.notifications.models import Notification
from atpazit.removals.models import ManifestEntry
from atpazit.removals.tests.factories import person_on

REASON = "Persona stāsta par parādu darba devējam; jāpārrunā pirms izbraukšanas."


def _request(dace_actor, mission):
    person = person_on(mission.operation)
    return services.request_removal(actor=dace_actor, mission=mission, person=person, reason=REASON)


def test_the_request_is_recorded_and_the_case_officers_are_told(dace_actor, announced, ilze, janis):
    request = _request(dace_actor, announced)
    assert request.status == RemovalRequest.Status.PENDING
    told = Notification.objects.filter(kind="monitoring.removal_requested")
    assert set(told.values_list("recipient", flat=True)) == {ilze.pk}
    event = AuditEvent.objects.get(action="removal_request.made")
    assert REASON not in str(event.details)


def test_asking_twice_for_the_same_person_is_refused(dace_actor, announced):
    request = _request(dace_actor, announced)
    with pytest.raises(ServiceError, match="already waiting"):
        services.request_removal(
            actor=dace_actor, mission=announced, person=request.person, reason=REASON
        )


def test_a_request_needs_a_reason(dace_actor, announced):
    person = person_on(announced.operation)
    with pytest.raises(InvalidInput) as refused:
        services.request_removal(actor=dace_actor, mission=announced, person=person, reason=" ")
    assert "reason" in refused.value.errors


def test_accepting_takes_the_person_off_the_manifest(dace_actor, announced, ilze_actor, dace):
    request = _request(dace_actor, announced)
    answered = services.answer_removal_request(
        actor=ilze_actor, request=request, accepted=True, reason="Pārrunās pirms izbraukšanas."
    )
    assert answered.status == RemovalRequest.Status.ACCEPTED
    assert not ManifestEntry.objects.filter(person=request.person).exists()
    assert Notification.objects.filter(
        recipient=dace, kind="monitoring.removal_request_answered"
    ).exists()


def test_refusing_needs_a_reason_and_keeps_the_person_on(dace_actor, announced, ilze_actor):
    request = _request(dace_actor, announced)
    with pytest.raises(InvalidInput):
        services.answer_removal_request(
            actor=ilze_actor, request=request, accepted=False, reason=""
        )
    answered = services.answer_removal_request(
        actor=ilze_actor, request=request, accepted=False, reason="Pārrunāts; pazīmju nav."
    )
    assert answered.status == RemovalRequest.Status.REFUSED
    assert ManifestEntry.objects.filter(person=request.person).exists()
    with pytest.raises(ServiceError, match="already answered"):
        services.answer_removal_request(actor=ilze_actor, request=request, accepted=True, reason="")


def test_another_unit_and_an_officer_cannot_answer(
    dace_actor, announced, gunars_actor, janis_actor
):
    request = _request(dace_actor, announced)
    for actor in (gunars_actor, janis_actor):
        with pytest.raises(NotAllowed):
            services.answer_removal_request(actor=actor, request=request, accepted=True, reason="x")
    request.refresh_from_db()
    assert request.status == RemovalRequest.Status.PENDING


def test_the_answer_page_records_the_answer(dace_actor, announced, ilze, client_for):
    request = _request(dace_actor, announced)
    response = client_for(ilze).post(
        f"/monitoring/requests/{request.pk}/", {"answer": "refuse", "reason": ""}
    )
    assert response.status_code == 200
    assert "Write why the request is refused." in response.content.decode()
    response = client_for(ilze).post(
        f"/monitoring/requests/{request.pk}/", {"answer": "accept", "reason": ""}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RemovalRequest.Status.ACCEPTED
