"""The escort leader sees a monitor's signs of trafficking where he works (issue 12 item 9).

Dace, a monitor, records signs of trafficking about a returnee in flight; the screening rules
advise an interview before departure or a referral. Jānis, the escort leader, is notified, and
the operation page and the pre-departure check he works from show it at once as an alert with
the case number and what to do — never Dace's words. The alert goes away when it has been acted
on: a screening decided afterwards, a hold, or the person taken off the manifest."""

from __future__ import annotations

import pytest

from atpazit.cases.tests.factories import ManualHoldFactory
from atpazit.monitoring import services
from atpazit.monitoring.models import Observation, Stage
from atpazit.removals.models import ManifestEntry
from atpazit.removals.tests.factories import person_on
from atpazit.screening.tests.factories import DecidedSessionFactory

ANSWERS_FOR_THEM = "RC-03"  # in flight: interview before departure (R7)
SOMEONE_WAITING = "RC-09"  # a referral (R2)
WORDS = "Vīrietis blakus sēdeklī atbild viņas vietā un tur viņas pasi."


@pytest.fixture
def led(announced, janis):
    """The charter with Jānis, a Border Guard officer, as its escort leader."""
    operation = announced.operation
    operation.escort_leader = janis
    operation.save(update_fields=["escort_leader"])
    return announced


def _signs(actor, mission, person, codes, **given):
    fields = {
        "stage": Stage.IN_FLIGHT,
        "category": Observation.Category.TRAFFICKING,
        "severity": Observation.Severity.URGENT,
        "text": WORDS,
        "person": person,
        "indicator_codes": codes,
    }
    fields.update(given)
    return services.record_observation(actor=actor, mission=mission, **fields)


def _alert(client, operation, page=""):
    response = client.get(f"/removals/{operation.pk}/{page}")
    assert response.status_code == 200
    content = response.content.decode()
    start = content.find('id="act-before-departure"')
    return content, (content[start : content.find("</div>", start)] if start >= 0 else "")


def test_the_operation_page_tells_the_escort_leader_to_interview_before_departure(
    client_for, dace_actor, led, janis
):
    person = person_on(led.operation)
    bystander = person_on(led.operation)
    _signs(dace_actor, led, person, [ANSWERS_FOR_THEM])
    content, alert = _alert(client_for(janis), led.operation)
    assert person.case_number in alert
    assert bystander.case_number not in alert
    assert "A monitor saw signs of trafficking" in alert
    assert "interview now, before departure" in alert
    assert "closer interview with an interpreter" in alert
    # The Border Guard never reads the monitor's words.
    assert WORDS not in content


def test_a_referral_advice_says_so_on_the_pre_departure_check(client_for, dace_actor, led, janis):
    person = person_on(led.operation)
    _signs(dace_actor, led, person, [SOMEONE_WAITING])
    content, alert = _alert(client_for(janis), led.operation, "pre-departure/")
    assert person.case_number in alert
    assert "referral for identification" in alert
    assert "Raise a suspicion of trafficking" in alert
    assert WORDS not in content


def test_the_case_officer_and_the_monitors_page_show_it_too(
    client_for, dace_actor, led, ilze, dace
):
    person = person_on(led.operation)
    _signs(dace_actor, led, person, [ANSWERS_FOR_THEM])
    _content, alert = _alert(client_for(ilze), led.operation)
    assert person.case_number in alert
    monitors = client_for(dace).get(f"/monitoring/{led.pk}/pre-departure/").content.decode()
    assert 'id="act-before-departure"' in monitors


def test_a_plain_observation_shows_nothing(client_for, dace_actor, led, janis):
    person = person_on(led.operation)
    _signs(dace_actor, led, person, [], category=Observation.Category.ESCORT)
    content, alert = _alert(client_for(janis), led.operation)
    assert alert == ""
    assert person.case_number in content  # on the manifest, nothing more


def test_a_screening_decided_afterwards_clears_it(client_for, dace_actor, led, janis):
    person = person_on(led.operation)
    _signs(dace_actor, led, person, [ANSWERS_FOR_THEM])
    DecidedSessionFactory(person=person)
    _content, alert = _alert(client_for(janis), led.operation)
    assert alert == ""


def test_a_screening_decided_before_the_signs_does_not_clear_it(client_for, dace_actor, led, janis):
    person = person_on(led.operation)
    DecidedSessionFactory(person=person)
    _signs(dace_actor, led, person, [ANSWERS_FOR_THEM])
    _content, alert = _alert(client_for(janis), led.operation)
    assert person.case_number in alert


def test_a_hold_or_leaving_the_manifest_clears_it(client_for, dace_actor, led, janis):
    held, taken_off = person_on(led.operation), person_on(led.operation)
    _signs(dace_actor, led, held, [SOMEONE_WAITING])
    _signs(dace_actor, led, taken_off, [SOMEONE_WAITING])
    ManualHoldFactory(person=held)
    ManifestEntry.objects.filter(person=taken_off).delete()
    content, alert = _alert(client_for(janis), led.operation)
    assert alert == ""
    assert 'id="blocking-conflict"' in content  # the hold says more
