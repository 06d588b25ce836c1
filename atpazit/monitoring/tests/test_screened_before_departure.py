"""Every returnee screened before departure (D9), answered from the screening records, and the
monitor's pre-departure view (issue 12 items 2 and 4). What counts as a screening at each of the
rule's two stages is specified in test_d9_screening_stages.py (ADR 0022)."""

from __future__ import annotations

from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import ManualHoldFactory
from atpazit.monitoring import services
from atpazit.monitoring.models import ChecklistAnswer, Stage
from atpazit.monitoring.selectors import screening_check
from atpazit.monitoring.services import AnswerInput
from atpazit.monitoring.tests.factories import screened_on
from atpazit.removals.tests.factories import person_on
from atpazit.screening.catalogue import Stage as ScreeningStage
from atpazit.screening.tests.factories import DecidedSessionFactory


def test_the_pre_departure_view_flags_a_returnee_with_no_screening(announced, dace, client_for):
    screened_on(announced.operation)
    missing = person_on(announced.operation)
    page = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="not-screened-banner"' in text
    banner = text.split('id="not-screened-banner"')[1].split("</div>")[0]
    assert f"{missing.case_number}: not screened at pre-return, pre-departure" in banner
    assert "1 returnee lacks a completed screening" in banner
    event = AuditEvent.objects.get(action="mission.pre_departure_viewed")
    assert event.details == {"persons": 2, "not_screened": 1}


def test_the_pre_departure_view_names_the_stage_each_returnee_lacks(announced, dace, client_for):
    no_pre_departure = person_on(announced.operation)
    DecidedSessionFactory(person=no_pre_departure, stage=ScreeningStage.PRE_RETURN_INTERVIEW)
    no_pre_return = person_on(announced.operation)
    DecidedSessionFactory(person=no_pre_return, stage=ScreeningStage.PRE_DEPARTURE)
    text = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/").content.decode()
    banner = text.split('id="not-screened-banner"')[1].split("</div>")[0]
    assert f"{no_pre_departure.case_number}: not screened at pre-departure<" in banner
    assert f"{no_pre_return.case_number}: not screened at pre-return<" in banner
    assert "2 returnees lack a completed screening" in banner
    # The table says it on each returnee's row too; names never appear, case numbers do.
    row = text.split(f">{no_pre_return.case_number}</a>")[1].split("</tr>")[0]
    assert "not screened at pre-return" in row
    assert "not screened at pre-departure" not in row
    assert no_pre_return.family_name not in text


def test_no_flag_when_everyone_was_screened_at_both_stages(announced, dace, client_for):
    screened_on(announced.operation)
    page = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/")
    assert 'id="not-screened-banner"' not in page.content.decode()


def test_the_view_shows_holds_and_children_from_the_operations_own_check(
    announced, dace, client_for
):
    held = screened_on(announced.operation)
    ManualHoldFactory(person=held)
    child = screened_on(announced.operation, birth_year=2012)
    text = client_for(dace).get(f"/monitoring/{announced.pk}/pre-departure/").content.decode()
    assert 'id="blocking-conflict"' in text
    assert held.case_number in text.split('id="blocking-conflict"')[1].split("</div>")[0]
    assert child.case_number in text


def test_the_checklist_records_no_with_the_returnees_and_stages_not_screened(dace_actor, announced):
    screened_on(announced.operation)
    missing = person_on(announced.operation)
    half = person_on(announced.operation)
    DecidedSessionFactory(person=half, stage=ScreeningStage.DETENTION_INTAKE)
    services.answer_checklist(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        answers={"restraints_justified": AnswerInput("yes")},
    )
    answer = ChecklistAnswer.objects.get(item_code="screened_before_departure")
    assert (answer.answer, answer.automatic) == ("no", True)
    # Stored evidence in no language: the case number and the stage codes, per returnee.
    assert set(answer.note.splitlines()) == {
        f"{missing.case_number}: pre_return pre_departure",
        f"{half.case_number}: pre_departure",
    }


def test_the_answer_turns_yes_once_the_last_returnee_is_screened_at_both_stages(
    dace_actor, announced
):
    missing = person_on(announced.operation)
    DecidedSessionFactory(person=missing, stage=ScreeningStage.PRE_RETURN_INTERVIEW)
    assert not screening_check(announced).all_screened
    DecidedSessionFactory(person=missing, stage=ScreeningStage.PRE_DEPARTURE)
    services.answer_checklist(
        actor=dace_actor, mission=announced, stage=Stage.PRE_DEPARTURE, answers={}
    )
    answer = ChecklistAnswer.objects.get(item_code="screened_before_departure")
    assert (answer.answer, answer.note) == ("yes", "")


def test_the_stage_page_lists_the_returnees_and_the_stage_they_lack(announced, dace, client_for):
    missing = person_on(announced.operation)
    DecidedSessionFactory(person=missing, stage=ScreeningStage.DETENTION_INTAKE)
    text = client_for(dace).get(f"/monitoring/{announced.pk}/stage/pre_departure/").content.decode()
    listed = text.split('id="not-screened"')[1].split("</ul>")[0]
    assert f"{missing.case_number}: not screened at pre-departure<" in listed
