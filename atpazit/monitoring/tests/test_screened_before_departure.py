"""Every returnee screened before departure (D9), answered from the screening records, and the
monitor's pre-departure view (issue 12 items 2 and 4)."""

from __future__ import annotations

from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import ManualHoldFactory
from atpazit.monitoring import services
from atpazit.monitoring.models import ChecklistAnswer, Stage
from atpazit.monitoring.selectors import screening_check
from atpazit.monitoring.services import AnswerInput
from atpazit.removals.tests.factories import person_on
from atpazit.screening.tests.factories import DecidedSessionFactory


def _screened_on(operation, **fields):
    person = person_on(operation, **fields)
    DecidedSessionFactory(person=person)
    return person


def test_the_pre_departure_view_flags_a_returnee_with_no_screening(announced, dace, client_for):
    _screened_on(announced.operation)
    missing = person_on(announced.operation)
    page = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="not-screened-banner"' in text
    banner = text.split('id="not-screened-banner"')[1].split("</div>")[0]
    assert missing.case_number in banner
    assert "1 returnee has no completed screening" in banner
    event = AuditEvent.objects.get(action="mission.pre_departure_viewed")
    assert event.details == {"persons": 2, "not_screened": 1}


def test_no_flag_when_everyone_was_screened(announced, dace, client_for):
    _screened_on(announced.operation)
    page = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/")
    assert 'id="not-screened-banner"' not in page.content.decode()


def test_the_view_shows_holds_and_children_from_the_operations_own_check(
    announced, dace, client_for
):
    held = _screened_on(announced.operation)
    ManualHoldFactory(person=held)
    child = _screened_on(announced.operation, birth_year=2012)
    text = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/").content.decode()
    assert 'id="blocking-conflict"' in text
    assert held.case_number in text.split('id="blocking-conflict"')[1].split("</div>")[0]
    assert child.case_number in text


def test_the_checklist_records_no_with_the_returnees_not_screened(dace_actor, announced):
    _screened_on(announced.operation)
    missing = person_on(announced.operation)
    services.answer_checklist(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        answers={"restraints_justified": AnswerInput("yes")},
    )
    answer = ChecklistAnswer.objects.get(item_code="screened_before_departure")
    assert (answer.answer, answer.automatic) == ("no", True)
    assert answer.note == missing.case_number


def test_the_answer_turns_yes_once_the_last_returnee_is_screened(dace_actor, announced):
    missing = person_on(announced.operation)
    assert not screening_check(announced).all_screened
    DecidedSessionFactory(person=missing)
    services.answer_checklist(
        actor=dace_actor, mission=announced, stage=Stage.PRE_DEPARTURE, answers={}
    )
    answer = ChecklistAnswer.objects.get(item_code="screened_before_departure")
    assert (answer.answer, answer.note) == ("yes", "")


def test_an_open_screening_is_not_a_screening(dace_actor, announced):
    from atpazit.screening.tests.factories import OpenSessionFactory

    person = person_on(announced.operation)
    OpenSessionFactory(person=person)
    assert [row.person for row in screening_check(announced).not_screened] == [person]


def test_the_stage_page_lists_the_returnees_without_a_screening(announced, dace, client_for):
    missing = person_on(announced.operation)
    text = client_for(dace).get(f"/monitoring/{announced.pk}/stage/pre_departure/").content.decode()
    assert missing.case_number in text.split('id="not-screened"')[1].split("</ul>")[0]
