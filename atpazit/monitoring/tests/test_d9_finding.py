"""Rule D9's second half: "missing → monitoring finding" (ADR 0022).

When the pre-departure stage is recorded (its times or its checklist) or the mission is
completed, the returnees not screened at pre-return and pre-departure become a finding drafted
by the system: a code and structured details (person ids, the stages each lacks), rendered in
the reader's language; recorded once, brought up to date until the Office acts on it (a
recommendation sent, a report approved, the finding withdrawn). The head of monitoring may
change its note or withdraw it like any finding still the Office's own."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidTransition, NotAllowed
from atpazit.monitoring import annual, findings, reports, services
from atpazit.monitoring.findings_selectors import finding_text
from atpazit.monitoring.models import Finding, MonitoringReport, Recommendation, Stage
from atpazit.monitoring.tests.factories import screened_on
from atpazit.monitoring.tests.findings_factories import (
    DraftRecommendationFactory,
    DraftReportFactory,
    SentRecommendationFactory,
)
from atpazit.monitoring.tests.test_reports import pdftotext
from atpazit.removals.models import ManifestEntry
from atpazit.removals.services import remove_from_manifest
from atpazit.removals.tests.factories import person_on
from atpazit.screening.catalogue import Stage as ScreeningStage
from atpazit.screening.tests.factories import DecidedSessionFactory

D9 = Finding.Code.D9_SCREENING_MISSING


def record_pre_departure(actor, mission) -> None:
    """The monitor records that the pre-departure stage started (the mission is under way)."""
    services.record_stage_times(
        actor=actor,
        mission=mission,
        stage=Stage.PRE_DEPARTURE,
        actual_start=timezone.now() - datetime.timedelta(minutes=30),
        actual_end=None,
    )


def save_checklist(actor, mission) -> None:
    services.answer_checklist(actor=actor, mission=mission, stage=Stage.PRE_DEPARTURE, answers={})


def d9_finding(mission) -> Finding:
    return Finding.objects.get(mission=mission, code=D9)


@pytest.fixture
def gap(announced):
    """One returnee screened at both stages, one only at intake, one never."""
    screened_on(announced.operation)
    half = person_on(announced.operation)
    DecidedSessionFactory(person=half, stage=ScreeningStage.DETENTION_INTAKE)
    never = person_on(announced.operation)
    return half, never


def test_recording_the_pre_departure_stage_drafts_a_coded_finding(dace_actor, announced, gap):
    half, never = gap
    record_pre_departure(dace_actor, announced)
    finding = d9_finding(announced)
    assert (finding.stage, finding.category, finding.text) == ("pre_departure", "trafficking", "")
    assert finding.details == {
        "returnees": [
            {"person": half.pk, "missing": ["pre_departure"]},
            {"person": never.pk, "missing": ["pre_return", "pre_departure"]},
        ]
        if half.case_number < never.case_number
        else [
            {"person": never.pk, "missing": ["pre_return", "pre_departure"]},
            {"person": half.pk, "missing": ["pre_departure"]},
        ],
        "on_manifest": 3,
        "resolved": [],
    }
    event = AuditEvent.objects.get(action="finding.drafted_from_records")
    assert event.details["code"] == "d9_screening_missing"
    assert sorted(event.details["persons"]) == sorted([half.pk, never.pk])


def test_recording_again_never_drafts_it_twice(dace_actor, announced, gap):
    record_pre_departure(dace_actor, announced)
    save_checklist(dace_actor, announced)
    save_checklist(dace_actor, announced)
    announced.refresh_from_db()
    services.complete_mission(actor=dace_actor, mission=announced, version=announced.version)
    assert Finding.objects.filter(mission=announced, code=D9).count() == 1
    assert AuditEvent.objects.filter(action="finding.drafted_from_records").count() == 1
    assert not AuditEvent.objects.filter(action="finding.updated_from_records").exists()


def test_no_finding_on_a_mission_not_under_way(dace_actor, announced, gap):
    """The checklist answered before the stage started: the answer, not yet a finding."""
    save_checklist(dace_actor, announced)
    assert not Finding.objects.filter(mission=announced).exists()
    record_pre_departure(dace_actor, announced)
    assert Finding.objects.filter(mission=announced, code=D9).exists()


def test_no_finding_when_everyone_was_screened_at_both_stages(dace_actor, announced):
    screened_on(announced.operation)
    record_pre_departure(dace_actor, announced)
    assert not Finding.objects.filter(mission=announced).exists()


def test_no_finding_for_an_operation_with_nobody_on_it(dace_actor, announced):
    record_pre_departure(dace_actor, announced)
    assert not Finding.objects.filter(mission=announced).exists()


def test_a_returnee_put_on_the_manifest_late_is_added(dace_actor, announced, gap):
    record_pre_departure(dace_actor, announced)
    late = person_on(announced.operation)
    save_checklist(dace_actor, announced)
    finding = d9_finding(announced)
    assert {"person": late.pk, "missing": ["pre_return", "pre_departure"]} in finding.details[
        "returnees"
    ]
    assert finding.details["on_manifest"] == 4
    assert AuditEvent.objects.filter(action="finding.updated_from_records").count() == 1


def test_screenings_and_a_removal_from_the_manifest_close_the_gap_before_the_report(
    dace_actor, ilze_actor, announced, gap
):
    half, never = gap
    record_pre_departure(dace_actor, announced)
    DecidedSessionFactory(person=half, stage=ScreeningStage.PRE_DEPARTURE)
    remove_from_manifest(
        actor=ilze_actor,
        entry=ManifestEntry.objects.get(operation=announced.operation, person=never),
    )
    save_checklist(dace_actor, announced)
    finding = d9_finding(announced)
    assert finding.details == {
        "returnees": [],
        "on_manifest": 2,
        "resolved": sorted([half.pk, never.pk]),
    }
    text = finding_text(finding)
    assert "No returnee on the manifest lacks a screening" in text
    assert half.case_number in text
    assert never.case_number in text


def test_an_approved_report_freezes_the_finding(dace_actor, vija_actor, announced, gap):
    half, _never = gap
    record_pre_departure(dace_actor, announced)
    before = d9_finding(announced).details
    report = DraftReportFactory(mission=announced, status=MonitoringReport.Status.APPROVED)
    DecidedSessionFactory(person=half, stage=ScreeningStage.PRE_DEPARTURE)
    save_checklist(dace_actor, announced)
    assert d9_finding(announced).details == before
    # Back to draft: the records bring it up to date again.
    reports.return_report_to_draft(actor=vija_actor, report=report, version=report.version)
    save_checklist(dace_actor, announced)
    assert d9_finding(announced).details["resolved"] == [half.pk]


def test_a_sent_recommendation_freezes_the_finding(dace_actor, announced, gap):
    half, _never = gap
    record_pre_departure(dace_actor, announced)
    finding = d9_finding(announced)
    SentRecommendationFactory(finding=finding)
    DecidedSessionFactory(person=half, stage=ScreeningStage.PRE_DEPARTURE)
    save_checklist(dace_actor, announced)
    assert d9_finding(announced).details["resolved"] == []


def test_the_head_withdraws_it_and_it_is_not_drafted_again(dace_actor, vija_actor, announced, gap):
    record_pre_departure(dace_actor, announced)
    finding = d9_finding(announced)
    draft = DraftRecommendationFactory(finding=finding)
    with pytest.raises(NotAllowed):
        findings.withdraw_finding(actor=dace_actor, finding=finding, version=finding.version)
    findings.withdraw_finding(actor=vija_actor, finding=finding, version=finding.version)
    draft.refresh_from_db()
    assert draft.status == Recommendation.Status.WITHDRAWN
    person_on(announced.operation)
    save_checklist(dace_actor, announced)
    assert Finding.objects.filter(mission=announced).count() == 1
    assert d9_finding(announced).withdrawn_at is not None
    assert AuditEvent.objects.filter(action="finding.withdrawn").count() == 1


def test_the_office_adds_a_note_but_not_once_a_recommendation_is_sent(
    dace_actor, vija_actor, announced, gap
):
    record_pre_departure(dace_actor, announced)
    finding = d9_finding(announced)
    findings.update_finding(
        actor=vija_actor,
        finding=finding,
        version=finding.version,
        text="Robeža tika informēta mutiski.",
    )
    finding.refresh_from_db()
    assert finding.text == "Robeža tika informēta mutiski."
    assert "Note of the Office: Robeža tika informēta mutiski." in finding_text(finding)
    # The structured part is the system's: the code and details did not change.
    assert finding.code == D9
    SentRecommendationFactory(finding=finding)
    with pytest.raises(InvalidTransition):
        findings.update_finding(
            actor=vija_actor, finding=finding, version=finding.version, text="Vēlāk."
        )
    with pytest.raises(InvalidTransition):
        findings.withdraw_finding(actor=vija_actor, finding=finding, version=finding.version)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["returnees on the manifest lack a decided screening", "not screened at"]),
        ("lv", ["izraidāmajiem sarakstā nav", "nav pārbaudes — pirms atgriešanas"]),
        ("ru", ["выдворяемых из манифеста нет", "нет проверки — до возвращения"]),
    ],
)
def test_the_finding_reads_in_the_readers_language(dace_actor, announced, gap, language, expected):
    half, never = gap
    record_pre_departure(dace_actor, announced)
    with translation.override(language):
        text = finding_text(d9_finding(announced))
    for phrase in expected:
        assert phrase in text, phrase
    assert half.case_number in text
    assert never.case_number in text
    assert never.family_name not in text


def test_the_findings_page_shows_it_by_case_number(dace_actor, announced, gap, vija, client_for):
    half, never = gap
    record_pre_departure(dace_actor, announced)
    page = client_for(vija).get(
        reverse("monitoring_findings:mission_findings", args=[announced.pk])
    )
    text = page.content.decode()
    assert "returnees not screened at pre-return and pre-departure (D9)" in text
    assert f"{never.case_number}: not screened at pre-return, pre-departure" in text
    assert f"{half.case_number}: not screened at pre-departure" in text
    assert "d9_screening_missing" not in text
    assert never.family_name not in text
    finding = d9_finding(announced)
    assert reverse("monitoring_findings:finding_withdraw", args=[finding.pk]) in text


def test_the_head_withdraws_it_from_the_page(dace_actor, announced, gap, vija, client_for):
    record_pre_departure(dace_actor, announced)
    finding = d9_finding(announced)
    response = client_for(vija).post(
        reverse("monitoring_findings:finding_withdraw", args=[finding.pk]),
        {"version": finding.version},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.withdrawn_at is not None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("lv", ["izraidāmie, kuru pazīmes nav pārbaudītas", "nav pārbaudes — pirms izbraukšanas"]),
        ("en", ["returnees not screened at pre-return and pre-departure (D9)", "not screened at"]),
    ],
)
def test_the_report_pdf_names_the_finding(dace_actor, announced, gap, language, expected):
    half, never = gap
    record_pre_departure(dace_actor, announced)
    report = DraftReportFactory(mission=announced, language=language)
    text = pdftotext(reports.build_pdf(report))
    for phrase in expected:
        assert phrase in text, phrase
    assert half.case_number in text
    assert never.case_number in text
    assert never.family_name not in text
    assert "d9_screening_missing" not in text


def test_a_withdrawn_finding_is_in_no_report_and_no_count(dace_actor, vija_actor, announced, gap):
    record_pre_departure(dace_actor, announced)
    finding = d9_finding(announced)
    findings.withdraw_finding(actor=vija_actor, finding=finding, version=finding.version)
    report = DraftReportFactory(mission=announced, language="en")
    text = pdftotext(reports.build_pdf(report))
    assert "returnees not screened at pre-return and pre-departure" not in text
    announced.refresh_from_db()
    services.complete_mission(actor=dace_actor, mission=announced, version=announced.version)
    table = annual.annual_table(vija_actor, announced.operation.departure_at.year)
    assert [row.findings for row in table.rows] == [0]
