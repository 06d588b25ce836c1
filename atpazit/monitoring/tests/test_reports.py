"""Monitoring reports and the annual table (issue 12 item 6).

A monitor drafts the report of a mission; the head of monitoring approves and publishes it; the
published PDF never changes. The PDF is read back with pdftotext in Latvian and in English. The
annual table's figures are checked against the missions the factories build.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed
from atpazit.monitoring import annual, reports
from atpazit.monitoring.models import ChecklistAnswer, MonitoringReport
from atpazit.monitoring.tests.factories import (
    CancelledMissionFactory,
    CompletedMissionFactory,
    InProgressMissionFactory,
    ObservationFactory,
    head_of_monitoring,
    monitor,
    stage_of,
)
from atpazit.monitoring.tests.findings_factories import (
    AnsweredRecommendationFactory,
    DraftRecommendationFactory,
    DraftReportFactory,
    FindingFactory,
    SentRecommendationFactory,
)
from atpazit.removals.models import RemovalOperation
from atpazit.removals.tests.factories import CompletedOperationFactory, person_on
from tests.pdf import pdftotext

pytestmark = pytest.mark.django_db


def _observed_mission():
    """A completed mission with a boarding stage answered, an observation about one returnee,
    and a finding with a recommendation the Border Guard partly accepted."""
    mission = CompletedMissionFactory(stages=["pre_departure", "boarding", "handover"])
    returnee = person_on(mission.operation, given_names="Rustam", family_name="Yuldashev")
    boarding = stage_of(mission, "boarding")
    ChecklistAnswer.objects.create(
        stage=boarding,
        item_code=_first_item(mission, "boarding"),
        answer=ChecklistAnswer.Answer.NO,
        answered_by=mission.monitors.first(),
    )
    ObservationFactory(
        mission=mission, stage=boarding, person=returnee, text="Eskorts nepaskaidroja procedūru."
    )
    finding = FindingFactory(mission=mission, text="Roku dzelži visu lidojumu.")
    AnsweredRecommendationFactory(finding=finding, text="Noņemt roku dzelžus pēc iekāpšanas.")
    DraftRecommendationFactory(finding=finding, text="Iekšējs melnraksts, vēl nav nosūtīts.")
    return mission, returnee


def _first_item(mission, stage: str) -> str:
    from atpazit.monitoring import checklists

    return checklists.load(mission.checklist_version).for_stage(stage)[0].code


class TestThePdf:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            (
                "lv",
                [
                    "Piespiedu izraidīšanas uzraudzības ziņojums",
                    "Kopsavilkums",
                    "Novērotie posmi",
                    "iekāpšana",
                    "Kontrolsaraksta rezultāti",
                    "Konstatējumi un ieteikumi",
                    "daļēji pieņemts",
                    "Melnraksts",
                ],
            ),
            (
                "en",
                [
                    "Forced-return monitoring report",
                    "Summary",
                    "Stages observed",
                    "boarding",
                    "Checklist results",
                    "Findings and recommendations",
                    "partly accepted",
                    "Draft",
                ],
            ),
        ],
    )
    def test_the_report_reads_in_its_language(self, language, expected):
        mission, returnee = _observed_mission()
        report = DraftReportFactory(
            mission=mission, language=language, summary="Kopumā operācija noritēja mierīgi."
        )
        text = pdftotext(reports.build_pdf(report))
        for phrase in expected:
            assert phrase in text, phrase
        assert "Kopumā operācija noritēja mierīgi." in text
        assert "Eskorts nepaskaidroja procedūru." in text
        assert "Noņemt roku dzelžus pēc iekāpšanas." in text
        # Returnees by case number only; a draft recommendation is not in the report.
        assert returnee.case_number in text
        assert "Yuldashev" not in text
        assert "Rustam" not in text
        assert "Iekšējs melnraksts" not in text


class TestTheFlow:
    def test_a_monitor_drafts_and_the_head_approves_and_publishes(self):
        mission, _ = _observed_mission()
        writer = mission.monitors.first()
        report = reports.draft_report(
            actor=actor_of(writer), mission=mission, language="en", summary="Calm."
        )
        with pytest.raises(NotAllowed):
            reports.approve_report(actor=actor_of(writer), report=report, version=report.version)
        head = actor_of(head_of_monitoring(mission.organisation))
        report = reports.approve_report(actor=head, report=report, version=report.version)
        report = reports.publish_report(actor=head, report=report, version=report.version)
        assert report.status == MonitoringReport.Status.PUBLISHED
        assert report.pdf_sha256
        for action in ("report.drafted", "report.approved", "report.published"):
            assert AuditEvent.objects.filter(action=action, object_id=str(report.pk)).count() == 1

    def test_a_published_report_never_changes(self):
        mission, _ = _observed_mission()
        report = DraftReportFactory(mission=mission, language="en")
        head = actor_of(head_of_monitoring(mission.organisation))
        report = reports.approve_report(actor=head, report=report, version=report.version)
        report = reports.publish_report(actor=head, report=report, version=report.version)
        published = bytes(report.pdf)
        # Later work on the mission does not reach the published report.
        FindingFactory(mission=mission, text="Vēlāk pievienots konstatējums.")
        assert reports.report_pdf(report) == published
        assert "Vēlāk pievienots" not in pdftotext(reports.report_pdf(report))
        with pytest.raises(InvalidTransition):
            reports.update_report(
                actor=actor_of(mission.monitors.first()),
                report=report,
                version=report.version,
                summary="Pārrakstīts.",
            )
        with pytest.raises(InvalidTransition):
            reports.return_report_to_draft(actor=head, report=report, version=report.version)

    def test_publishing_needs_an_approved_report_of_a_completed_mission(self):
        running = InProgressMissionFactory()
        report = DraftReportFactory(mission=running)
        head = actor_of(head_of_monitoring(running.organisation))
        with pytest.raises(InvalidTransition):
            reports.publish_report(actor=head, report=report, version=report.version)
        report = reports.approve_report(actor=head, report=report, version=report.version)
        with pytest.raises(InvalidTransition):
            reports.publish_report(actor=head, report=report, version=report.version)

    def test_one_report_per_language_and_a_summary_is_required(self):
        mission = CompletedMissionFactory()
        writer = actor_of(mission.monitors.first())
        reports.draft_report(actor=writer, mission=mission, language="lv", summary="Mierīgi.")
        with pytest.raises(InvalidInput) as error:
            reports.draft_report(actor=writer, mission=mission, language="lv", summary=" ")
        assert set(error.value.errors) == {"language", "summary"}

    def test_another_office_cannot_draft_or_read(self, client_for):
        report = DraftReportFactory()
        stranger = head_of_monitoring()
        with pytest.raises(NotAllowed):
            reports.draft_report(
                actor=actor_of(stranger), mission=report.mission, language="en", summary="x"
            )
        url = reverse("monitoring_findings:report_pdf", kwargs={"pk": report.pk})
        assert client_for(stranger).get(url).status_code == 404

    def test_the_border_guard_does_not_get_the_report(self, client_for):
        report = DraftReportFactory()
        officer = member("bg_case_officer", report.mission.operation.organisation)
        url = reverse("monitoring_findings:report_pdf", kwargs={"pk": report.pk})
        assert client_for(officer).get(url).status_code in (403, 404)

    def test_the_pdf_download_is_audited(self, client_for):
        report = DraftReportFactory()
        client = client_for(report.mission.monitors.first())
        response = client.get(reverse("monitoring_findings:report_pdf", kwargs={"pk": report.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert AuditEvent.objects.filter(
            action="report.downloaded", object_id=str(report.pk)
        ).exists()


YEAR = 2025


RIGA = zoneinfo.ZoneInfo("Europe/Riga")


def _at(month: int, day: int, year: int = YEAR) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=RIGA)


@pytest.fixture
def office_year():
    """The Office's year: two completed missions (a charter covering three stages with two
    monitors, a scheduled flight covering one with one of them), plus what must not count: a
    cancelled mission, a mission of the year before, and another office's mission."""
    head = head_of_monitoring()
    office = head.memberships.get().organisation
    anna, boris = monitor(office), monitor(office)
    charter = CompletedMissionFactory(
        organisation=office,
        monitors=[anna, boris],
        stages=["pre_departure", "boarding", "handover"],
        operation=CompletedOperationFactory(
            type=RemovalOperation.Type.CHARTER,
            departure_at=_at(3, 14),
            reference='=HYPERLINK("http://x")',
        ),
    )
    scheduled = CompletedMissionFactory(
        organisation=office,
        monitors=[anna],
        stages=["boarding"],
        operation=CompletedOperationFactory(
            type=RemovalOperation.Type.SCHEDULED_FLIGHT, departure_at=_at(9, 2)
        ),
    )
    first = FindingFactory(mission=charter)
    SentRecommendationFactory(finding=first)
    AnsweredRecommendationFactory(finding=first)
    DraftRecommendationFactory(finding=first)  # not sent: not counted
    FindingFactory(mission=charter)
    FindingFactory(mission=scheduled)
    DraftReportFactory(mission=charter, status=MonitoringReport.Status.PUBLISHED)
    DraftReportFactory(mission=scheduled, status=MonitoringReport.Status.APPROVED)
    CancelledMissionFactory(
        organisation=office, operation=CompletedOperationFactory(departure_at=_at(5, 5))
    )
    CompletedMissionFactory(
        organisation=office,
        operation=CompletedOperationFactory(departure_at=_at(12, 30, year=YEAR - 1)),
    )
    CompletedMissionFactory(operation=CompletedOperationFactory(departure_at=_at(6, 6)))
    return head


class TestTheAnnualTable:
    def test_the_figures_match_the_missions(self, office_year):
        table = annual.annual_table(actor_of(office_year), YEAR)
        assert table.operations == 2
        assert table.by_type == {"scheduled_flight": 1, "charter": 1, "land_escort": 0}
        assert table.by_stage["boarding"] == 2
        assert table.by_stage["pre_departure"] == 1
        assert table.by_stage["handover"] == 1
        assert table.by_stage["in_flight"] == 0
        assert table.monitors == 2
        assert table.findings == 3
        assert table.recommendations == 2
        assert table.reports_published == 1
        assert [row.monitors for row in table.rows] == [2, 1]
        assert [row.report_published for row in table.rows] == [True, False]

    def test_the_csv_neutralises_formulas_and_carries_the_totals(self, office_year):
        with translation.override("en"):
            export = annual.export_annual_table(
                actor=actor_of(office_year), year=YEAR, file_format="csv"
            )
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
        cells = [cell for row in rows for cell in row]
        assert '\'=HYPERLINK("http://x")' in cells
        assert not any(cell.startswith("=") for cell in cells)
        totals = {row[0]: row[1] for row in rows if len(row) == 2}
        assert totals["Operations monitored"] == "2"
        assert totals["Recommendations"] == "2"
        assert totals["Reports published"] == "1"
        assert AuditEvent.objects.filter(action="monitoring.annual_exported").count() == 1

    def test_the_xlsx_opens_with_the_same_figures(self, office_year):
        with translation.override("en"):
            export = annual.export_annual_table(
                actor=actor_of(office_year), year=YEAR, file_format="xlsx"
            )
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
        assert values["Findings"] == 3
        assert values["Monitors who took part"] == 2
        assert not any(
            isinstance(cell, str) and cell.startswith("=")
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )

    def test_the_pdf_reads_in_latvian(self, office_year, client_for):
        office_year.language = "lv"
        office_year.save(update_fields=["language"])
        response = client_for(office_year).get(
            reverse("monitoring_findings:annual_table"), {"year": YEAR, "format": "pdf"}
        )
        assert response.status_code == 200
        text = pdftotext(response.content)
        assert f"Piespiedu izraidīšanas uzraudzība, {YEAR}" in text
        assert "Uzraudzītās operācijas" in text

    def test_the_border_guard_has_no_annual_table(self, client_for):
        client = client_for(member("bg_case_officer"))
        assert client.get(reverse("monitoring_findings:annual_table")).status_code == 403
