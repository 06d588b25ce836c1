"""Signs of trafficking recorded by a monitor in flight or at hand-over (issue 12 item 9).

The indicators come from the current screening catalogue; the screening rules are evaluated on
them when the observation is saved, and an "interview before departure" or a referral tells the
escort leader (Jānis, a Border Guard officer) and the unit's case officers at once, with the
case number only, and raises an escalation. A plain observation tells nobody."""

from __future__ import annotations

import uuid

import pytest

from atpazit.audit.models import AuditEvent
from atpazit.escalations.models import Escalation
from atpazit.lib.errors import InvalidInput
from atpazit.monitoring import services
from atpazit.monitoring.models import Observation, Stage
from atpazit.notifications.models import Notification
from atpazit.removals.tests.factories import person_on
from atpazit.screening.engine import Recommendation

ALERT = services.ALERT_KIND
# "Someone else speaks or answers for the person": in flight, the rules advise an interview
# before departure (R7); "someone linked to the exploitation is waiting": a referral (R2/R3).
ANSWERS_FOR_THEM = "RC-03"
SOMEONE_WAITING = "RC-09"


@pytest.fixture
def led(announced, janis, ilze):
    """The charter with Jānis as its escort leader; Ilze is the unit's case officer."""
    operation = announced.operation
    operation.escort_leader = janis
    operation.save(update_fields=["escort_leader"])
    return announced


def _signs(actor, mission, person, codes, **given):
    fields = {
        "stage": Stage.IN_FLIGHT,
        "category": Observation.Category.TRAFFICKING,
        "severity": Observation.Severity.URGENT,
        "text": "Vīrietis blakus sēdeklī atbild viņas vietā un tur viņas pasi.",
        "person": person,
        "indicator_codes": codes,
    }
    fields.update(given)
    return services.record_observation(actor=actor, mission=mission, **fields)


def test_interview_now_tells_the_escort_leader_and_the_case_officers(dace_actor, led, janis, ilze):
    person = person_on(led.operation)
    observation = _signs(dace_actor, led, person, [ANSWERS_FOR_THEM])
    assert observation.recommendation == Recommendation.INTERVIEW_BEFORE_DEPARTURE
    assert observation.indicator_codes == [ANSWERS_FOR_THEM]
    told = Notification.objects.filter(kind=ALERT)
    assert {n.recipient for n in told} == {janis, ilze}
    assert {n.case_number for n in told} == {person.case_number}


def test_a_referral_advice_tells_the_escort_leader_too(dace_actor, led, janis):
    person = person_on(led.operation)
    observation = _signs(dace_actor, led, person, [SOMEONE_WAITING])
    assert observation.recommendation == Recommendation.REFER_FOR_IDENTIFICATION
    assert Notification.objects.filter(kind=ALERT, recipient=janis).count() == 1


def test_the_alert_is_an_escalation_on_the_operation_and_audited(dace_actor, led, riga):
    person = person_on(led.operation)
    observation = _signs(dace_actor, led, person, [ANSWERS_FOR_THEM])
    escalation = Escalation.objects.get(summary_code=services.ALERT_SUMMARY)
    assert escalation.responsible_organisation == riga
    assert escalation.case_number == person.case_number
    assert escalation.resolved_at is None
    event = AuditEvent.objects.get(action="observation.escort_alerted")
    assert event.details["person"] == person.pk
    assert event.details["recommendation"] == "interview_before_departure"
    assert "Vīrietis" not in str(event.details)
    assert observation.text not in str(event.details)


def test_a_plain_observation_tells_nobody(dace_actor, led):
    person = person_on(led.operation)
    _signs(dace_actor, led, person, [], category=Observation.Category.ESCORT)
    _signs(dace_actor, led, person, [])
    assert not Notification.objects.filter(kind=ALERT).exists()
    assert not Escalation.objects.filter(summary_code=services.ALERT_SUMMARY).exists()


def test_a_resent_alerting_observation_tells_them_once(dace_actor, led, janis):
    person = person_on(led.operation)
    client_id = uuid.uuid4()
    first = _signs(dace_actor, led, person, [ANSWERS_FOR_THEM], client_id=client_id)
    again = _signs(dace_actor, led, person, [ANSWERS_FOR_THEM], client_id=client_id)
    assert first.pk == again.pk
    assert Notification.objects.filter(kind=ALERT, recipient=janis).count() == 1
    assert Escalation.objects.filter(summary_code=services.ALERT_SUMMARY).count() == 1


def test_without_an_escort_leader_the_case_officers_are_still_told(dace_actor, announced, ilze):
    person = person_on(announced.operation)
    _signs(dace_actor, announced, person, [ANSWERS_FOR_THEM])
    assert [n.recipient for n in Notification.objects.filter(kind=ALERT)] == [ilze]


def test_indicators_need_the_category_and_a_person(dace_actor, led):
    person = person_on(led.operation)
    with pytest.raises(InvalidInput) as refused:
        _signs(dace_actor, led, person, [ANSWERS_FOR_THEM], category=Observation.Category.ESCORT)
    assert list(refused.value.errors) == ["indicator_codes"]
    with pytest.raises(InvalidInput):
        _signs(dace_actor, led, None, [ANSWERS_FOR_THEM])
    assert not Observation.objects.exists()


def test_a_code_the_catalogue_does_not_have_is_named(dace_actor, led):
    person = person_on(led.operation)
    with pytest.raises(InvalidInput, match="XX-99"):
        _signs(dace_actor, led, person, ["XX-99"])
    assert not Notification.objects.exists()


def test_the_stage_page_offers_the_catalogue_indicators_seen_at_that_stage(client_for, dace, led):
    page = client_for(dace).get(f"/monitoring/{led.pk}/stage/in_flight/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="RC-03"' in content
    assert "Someone else speaks or answers for the person" in content
    # Deceptive recruitment is asked at the interviews before, not seen in flight.
    assert 'value="DR-01"' not in content


def test_the_stage_page_says_the_escort_leader_was_told(client_for, dace, led):
    person = person_on(led.operation)
    page = client_for(dace).post(
        f"/monitoring/{led.pk}/stage/in_flight/",
        {
            "action": "observation",
            "text": "Vīrietis atbild viņas vietā.",
            "severity": Observation.Severity.URGENT,
            "category": Observation.Category.TRAFFICKING,
            "person": person.pk,
            "indicator_codes": [ANSWERS_FOR_THEM],
        },
        follow=True,
    )
    assert "The escort leader was told at once." in page.content.decode()
    assert Notification.objects.filter(kind=ALERT).exists()
