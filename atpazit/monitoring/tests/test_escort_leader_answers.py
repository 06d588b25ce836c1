"""The escort leader answers a monitor's request to take a person off the manifest (issue 12
item 4: "the monitor can ask the escort leader for a person to be removed from the manifest").

The escort leader is the operation's ``escort_leader``: Jānis, a Border Guard officer of the Riga
unit. He is told of the request, sees it on his dashboard and answers it; accepting takes the
person off the manifest through the removals service, refusing needs a reason. Another officer
of the unit, who does not lead this escort, cannot answer; the case officers still can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import ManualHoldFactory
from atpazit.lib.errors import InvalidInput, NotAllowed
from atpazit.monitoring import services
from atpazit.monitoring.models import RemovalRequest
from atpazit.notifications.models import Notification
from atpazit.removals.models import ManifestEntry
from atpazit.removals.tests.factories import person_on

REASON = "Persona stāsta par parādu darba devējam; jāpārrunā pirms izbraukšanas."


@pytest.fixture
def led(announced, janis):
    """The charter with Jānis, a Border Guard officer, as its escort leader."""
    operation = announced.operation
    operation.escort_leader = janis
    operation.save(update_fields=["escort_leader"])
    return announced


def _request(dace_actor, mission, person=None):
    person = person or person_on(mission.operation)
    return services.request_removal(actor=dace_actor, mission=mission, person=person, reason=REASON)


def test_the_escort_leader_is_told_of_the_request_with_the_case_officers(
    dace_actor, led, janis, ilze, riga
):
    member("bg_officer", riga)  # another officer of the unit: not told
    request = _request(dace_actor, led)
    told = Notification.objects.filter(kind="monitoring.removal_requested")
    assert set(told.values_list("recipient", flat=True)) == {janis.pk, ilze.pk}
    assert {n.case_number for n in told} == {request.person.case_number}


def test_the_escort_leader_accepts_and_the_person_leaves_the_manifest(
    dace_actor, led, janis_actor, janis, dace
):
    request = _request(dace_actor, led)
    answered = services.answer_removal_request(
        actor=janis_actor, request=request, accepted=True, reason="Pārrunās pirms izbraukšanas."
    )
    assert answered.status == RemovalRequest.Status.ACCEPTED
    assert answered.answered_by == janis
    assert answered.answer_reason == "Pārrunās pirms izbraukšanas."
    assert not ManifestEntry.objects.filter(person=request.person).exists()
    removed = AuditEvent.objects.get(action="manifest.person_removed")
    assert removed.details["person"] == request.person.pk
    event = AuditEvent.objects.get(action="removal_request.answered")
    assert event.details["answer"] == "accepted"
    assert "Pārrunās" not in str(event.details)
    assert Notification.objects.filter(
        recipient=dace, kind="monitoring.removal_request_answered"
    ).exists()


def test_a_held_person_is_taken_off_too(dace_actor, led, janis_actor):
    """Taking someone off is always safe for them; it resolves the blocking conflict."""
    person = person_on(led.operation)
    ManualHoldFactory(person=person)
    request = _request(dace_actor, led, person)
    services.answer_removal_request(actor=janis_actor, request=request, accepted=True, reason="")
    assert not ManifestEntry.objects.filter(person=person).exists()


def test_the_escort_leader_refuses_only_with_a_reason(dace_actor, led, janis_actor):
    request = _request(dace_actor, led)
    with pytest.raises(InvalidInput) as refused:
        services.answer_removal_request(
            actor=janis_actor, request=request, accepted=False, reason="  "
        )
    assert list(refused.value.errors) == ["reason"]
    request.refresh_from_db()
    assert request.status == RemovalRequest.Status.PENDING
    answered = services.answer_removal_request(
        actor=janis_actor,
        request=request,
        accepted=False,
        reason="Pārrunāts ar tulku; pazīmju nav.",
    )
    assert answered.status == RemovalRequest.Status.REFUSED
    assert ManifestEntry.objects.filter(person=request.person).exists()


def test_an_officer_who_does_not_lead_this_escort_cannot_answer(dace_actor, led, riga):
    request = _request(dace_actor, led)
    other = actor_of(member("bg_officer", riga))
    with pytest.raises(NotAllowed):
        services.answer_removal_request(actor=other, request=request, accepted=True, reason="")
    request.refresh_from_db()
    assert request.status == RemovalRequest.Status.PENDING
    assert ManifestEntry.objects.filter(person=request.person).exists()


def test_the_escort_leader_of_another_operation_cannot_answer(dace_actor, announced, janis_actor):
    """Jānis is no escort leader of this charter: the request is not his to answer."""
    request = _request(dace_actor, announced)
    with pytest.raises(NotAllowed):
        services.answer_removal_request(
            actor=janis_actor, request=request, accepted=True, reason=""
        )


def test_the_case_officer_still_answers(dace_actor, led, ilze_actor):
    request = _request(dace_actor, led)
    answered = services.answer_removal_request(
        actor=ilze_actor, request=request, accepted=True, reason=""
    )
    assert answered.status == RemovalRequest.Status.ACCEPTED


def test_the_escort_leader_answers_from_his_dashboard(dace_actor, led, janis, client_for, riga):
    request = _request(dace_actor, led)
    client = client_for(janis)
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert f"/monitoring/requests/{request.pk}/" in dashboard
    assert client.get(f"/monitoring/requests/{request.pk}/").status_code == 200
    response = client.post(
        f"/monitoring/requests/{request.pk}/", {"answer": "refuse", "reason": ""}
    )
    assert response.status_code == 200
    assert "Write why the request is refused." in response.content.decode()
    response = client.post(
        f"/monitoring/requests/{request.pk}/", {"answer": "accept", "reason": ""}
    )
    assert response.status_code == 302
    assert not ManifestEntry.objects.filter(person=request.person).exists()
    # Another officer of the unit neither sees it on the dashboard nor opens it.
    other = client_for(member("bg_officer", riga))
    assert (
        f"/monitoring/requests/{request.pk}/"
        not in other.get(reverse("web:dashboard")).content.decode()
    )
    assert other.get(f"/monitoring/requests/{request.pk}/").status_code == 404
