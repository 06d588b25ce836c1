"""Who reads a monitoring report (issue 12 items 6 and 8).

A report is the Office's own until it is published: the Border Guard never opens a draft or an
approved one. Once published, the report is public, and the Border Guard unit whose operation
was monitored reads it from the mission page — exactly the published bytes. Another unit, or a
role that sees no missions, does not."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.audit.models import AuditEvent
from atpazit.monitoring.models import MonitoringReport
from atpazit.monitoring.tests.factories import CompletedMissionFactory
from atpazit.monitoring.tests.findings_factories import DraftReportFactory

PUBLISHED_PDF = b"%PDF-1.7 the published report"


@pytest.fixture
def completed(charter, ombudsman, vija, dace):
    return CompletedMissionFactory(
        operation=charter, organisation=ombudsman, planned_by=vija, monitors=[dace]
    )


def _report(mission, status, language="lv"):
    return DraftReportFactory(
        mission=mission,
        status=status,
        language=language,
        pdf=PUBLISHED_PDF if status == MonitoringReport.Status.PUBLISHED else None,
    )


@pytest.mark.parametrize(
    "status", [MonitoringReport.Status.DRAFT, MonitoringReport.Status.APPROVED]
)
def test_an_unpublished_report_is_the_offices_own(client_for, completed, ilze, janis, status):
    report = _report(completed, status)
    for user in (ilze, janis):
        client = client_for(user)
        assert client.get(f"/monitoring/reports/{report.pk}/published/").status_code == 404
        assert client.get(f"/monitoring/reports/{report.pk}/pdf/").status_code == 403
        assert client.get(f"/monitoring/reports/{report.pk}/").status_code == 403
        page = client.get(f"/monitoring/{completed.pk}/").content.decode()
        assert 'id="published-reports"' not in page
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()


def test_the_unit_reads_the_published_report_of_its_operation(client_for, completed, ilze, janis):
    report = _report(completed, MonitoringReport.Status.PUBLISHED)
    for user in (ilze, janis):
        client = client_for(user)
        page = client.get(f"/monitoring/{completed.pk}/").content.decode()
        assert f"/monitoring/reports/{report.pk}/published/" in page
        response = client.get(f"/monitoring/reports/{report.pk}/published/")
        assert response.status_code == 200
        assert response.content == PUBLISHED_PDF
        # Still never the working material behind it.
        assert client.get(f"/monitoring/reports/{report.pk}/").status_code == 403
        assert client.get(f"/monitoring/missions/{completed.pk}/findings/").status_code == 403
    event = AuditEvent.objects.filter(action="report.downloaded").first()
    assert event is not None
    assert event.details == {"mission": completed.pk, "status": "published", "published": True}


def test_another_unit_and_other_roles_do_not(client_for, completed, gunars, daugavpils):
    report = _report(completed, MonitoringReport.Status.PUBLISHED)
    url = f"/monitoring/reports/{report.pk}/published/"
    assert client_for(gunars).get(url).status_code == 404
    assert client_for(member("bg_officer", daugavpils)).get(url).status_code == 404
    assert client_for(member("caseworker")).get(url).status_code == 403


def test_the_office_reads_it_too(client_for, completed, dace, vija):
    report = _report(completed, MonitoringReport.Status.PUBLISHED)
    for user in (dace, vija):
        response = client_for(user).get(f"/monitoring/reports/{report.pk}/published/")
        assert response.content == PUBLISHED_PDF
