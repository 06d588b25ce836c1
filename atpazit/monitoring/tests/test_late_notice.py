"""A late notice is a visible fact that escalates (issue 12 item 1: "whether the monitor was
informed in time (record the notice period the Border Guard gave)").

The required notice is ``ATPAZIT_MONITORING_NOTICE_HOURS`` (72 hours by default). When Vija, the
head of monitoring, records that the Riga unit informed the Office later than that, the late
notice is escalated to the Office (the unit responsible), she is told, and the annual table
counts the operation as one the Office was informed of late."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone, translation

from atpazit.accounts.tests.factories import actor_of
from atpazit.escalations.models import Escalation
from atpazit.monitoring import annual, services
from atpazit.monitoring.models import Mission
from atpazit.monitoring.tests.factories import CompletedMissionFactory
from atpazit.notifications.models import Notification
from atpazit.removals.tests.factories import CompletedOperationFactory, ConfirmedOperationFactory

LATE = services.LATE_NOTICE_SUMMARY


@pytest.fixture
def soon(planned):
    """Vija's planned mission; the charter leaves in two hours."""
    operation = planned.operation
    operation.departure_at = timezone.now() + datetime.timedelta(hours=2)
    operation.save()
    return planned


def _notice(vija_actor, mission, hours_before):
    mission.refresh_from_db()
    return services.record_notice(
        actor=vija_actor,
        mission=mission,
        informed_at=mission.operation.departure_at - datetime.timedelta(hours=hours_before),
        version=mission.version,
    )


def test_a_late_notice_is_escalated_and_the_head_of_monitoring_told(
    vija_actor, soon, vija, dace, riga, settings
):
    settings.ATPAZIT_MONITORING_NOTICE_HOURS = 72
    mission = _notice(vija_actor, soon, 30)
    assert mission.informed_in_time is False
    escalation = Escalation.objects.get(summary_code=LATE)
    assert escalation.kind == Escalation.Kind.LATE_NOTICE
    assert escalation.subject == f"monitoring.mission:{mission.pk}"
    assert escalation.responsible_organisation == riga
    assert escalation.resolved_at is None
    told = Notification.objects.filter(kind=services.LATE_NOTICE_KIND)
    assert [n.recipient for n in told] == [vija]  # the head of monitoring, not the monitor


def test_a_notice_in_time_escalates_nothing(vija_actor, soon, settings):
    settings.ATPAZIT_MONITORING_NOTICE_HOURS = 24
    mission = _notice(vija_actor, soon, 30)
    assert mission.informed_in_time is True
    assert not Escalation.objects.filter(summary_code=LATE).exists()
    assert not Notification.objects.filter(kind=services.LATE_NOTICE_KIND).exists()


def test_a_corrected_late_notice_is_escalated_once(vija_actor, soon, settings):
    settings.ATPAZIT_MONITORING_NOTICE_HOURS = 72
    _notice(vija_actor, soon, 30)
    _notice(vija_actor, soon, 40)
    in_time = _notice(vija_actor, soon, 100)
    assert in_time.informed_in_time is True
    # A later correction does not withdraw it silently: the Office resolves it with a note.
    assert Escalation.objects.filter(summary_code=LATE, resolved_at__isnull=True).count() == 1
    assert Notification.objects.filter(kind=services.LATE_NOTICE_KIND).count() == 1


def test_planning_with_a_late_notice_escalates_it(vija_actor, dace, riga, settings):
    settings.ATPAZIT_MONITORING_NOTICE_HOURS = 72
    operation = ConfirmedOperationFactory(
        organisation=riga, departure_at=timezone.now() + datetime.timedelta(hours=20)
    )
    mission = services.plan_mission(
        actor=vija_actor,
        operation=operation,
        monitors=[dace],
        stages=[services.StagePlan("pre_departure")],
        informed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert mission.informed_in_time is False
    assert Escalation.objects.filter(
        summary_code=LATE, subject=f"monitoring.mission:{mission.pk}"
    ).exists()


def test_the_office_sees_the_escalation_with_its_label(vija_actor, soon, vija, client_for):
    _notice(vija_actor, soon, 2)
    page = client_for(vija).get("/escalations/").content.decode()
    assert "later than the required notice period" in page


def test_the_annual_table_counts_the_operations_informed_late(vija, ombudsman):
    year = timezone.localdate().year - 1
    departure = datetime.datetime(year, 6, 1, 10, tzinfo=datetime.UTC)
    for in_time, hours in ((False, 20), (True, 96), (None, None)):
        CompletedMissionFactory(
            organisation=ombudsman,
            operation=CompletedOperationFactory(departure_at=departure),
            informed_in_time=in_time,
            notice_hours=hours,
            required_notice_hours=72 if hours is not None else None,
        )
    table = annual.annual_table(actor_of(vija), year)
    assert table.informed_late == 1
    assert sorted((row.notice_hours or 0, row.informed_in_time is False) for row in table.rows) == [
        (0, False),
        (20, True),
        (96, False),
    ]
    with translation.override("en"):
        export = annual.export_annual_table(actor=actor_of(vija), year=year, file_format="csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    totals = {row[0]: row[1] for row in rows if len(row) == 2}
    assert totals["Operations of which the office was informed late"] == "1"
    assert "Informed in time" in rows[1]
    cells = [cell for row in rows for cell in row]
    assert "no: informed late" in cells
    assert "not recorded" in cells
    assert Mission.objects.count() == 3
