"""The head of monitoring plans a mission, assigns monitors and announces it (issue 12 item 1, 8)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed, ServiceError
from atpazit.monitoring import checklists, services
from atpazit.monitoring.models import Mission, Stage
from atpazit.monitoring.services import StagePlan
from atpazit.monitoring.tests.factories import monitor
from atpazit.notifications.models import Notification
from atpazit.removals.tests.factories import CompletedOperationFactory

STAGES = [StagePlan(Stage.PRE_DEPARTURE), StagePlan(Stage.IN_FLIGHT), StagePlan(Stage.HANDOVER)]


def test_the_head_of_monitoring_plans_a_mission_with_the_current_checklist(
    vija_actor, dace, charter
):
    mission = services.plan_mission(
        actor=vija_actor, operation=charter, monitors=[dace], stages=STAGES
    )
    assert mission.status == Mission.Status.PLANNED
    assert mission.checklist_version == checklists.current_version()
    assert list(mission.monitors.all()) == [dace]
    assert sorted(row.stage for row in mission.stages.all()) == sorted(p.stage for p in STAGES)
    event = AuditEvent.objects.get(action="mission.planned")
    assert event.details["monitors"] == [dace.pk]
    assert Notification.objects.filter(recipient=dace, kind="monitoring.mission_assigned").exists()


def test_a_monitor_cannot_plan_a_mission(dace_actor, dace, charter):
    with pytest.raises(NotAllowed):
        services.plan_mission(actor=dace_actor, operation=charter, monitors=[dace], stages=STAGES)
    assert not Mission.objects.exists()


def test_the_border_guard_cannot_plan_a_mission(ilze_actor, dace, charter):
    with pytest.raises(NotAllowed):
        services.plan_mission(actor=ilze_actor, operation=charter, monitors=[dace], stages=STAGES)


def test_only_monitors_of_the_office_can_be_assigned(vija_actor, ilze, charter):
    stranger = monitor()  # a monitor of another office
    with pytest.raises(InvalidInput) as refused:
        services.plan_mission(
            actor=vija_actor, operation=charter, monitors=[ilze, stranger], stages=STAGES
        )
    assert "monitors" in refused.value.errors
    assert not Mission.objects.exists()


def test_no_monitor_and_no_stage_are_both_named(vija_actor, charter):
    with pytest.raises(InvalidInput) as refused:
        services.plan_mission(actor=vija_actor, operation=charter, monitors=[], stages=[])
    assert set(refused.value.errors) == {"monitors", "stages"}


def test_a_second_open_mission_for_the_same_operation_is_refused(vija_actor, dace, planned):
    with pytest.raises(ServiceError, match="already has an open mission"):
        services.plan_mission(
            actor=vija_actor, operation=planned.operation, monitors=[dace], stages=STAGES
        )


def test_an_operation_that_has_ended_cannot_be_monitored(vija_actor, dace, riga):
    done = CompletedOperationFactory(organisation=riga)
    with pytest.raises(ServiceError, match="can no longer be monitored"):
        services.plan_mission(actor=vija_actor, operation=done, monitors=[dace], stages=STAGES)


def test_the_notice_period_is_recorded_with_whether_it_was_in_time(vija_actor, planned, settings):
    settings.ATPAZIT_MONITORING_NOTICE_HOURS = 72
    operation = planned.operation
    operation.departure_at = departure = timezone.now() + datetime.timedelta(hours=2)
    operation.save()
    late = services.record_notice(
        actor=vija_actor,
        mission=planned,
        informed_at=departure - datetime.timedelta(hours=30),
        version=planned.version,
    )
    assert (late.notice_hours, late.required_notice_hours, late.informed_in_time) == (30, 72, False)
    in_time = services.record_notice(
        actor=vija_actor,
        mission=late,
        informed_at=departure - datetime.timedelta(days=5),
        version=late.version,
    )
    assert in_time.informed_in_time is True
    assert in_time.notice_hours == 120


def test_a_notice_after_the_departure_or_in_the_future_is_refused(vija_actor, planned):
    with pytest.raises(InvalidInput) as refused:
        services.record_notice(
            actor=vija_actor,
            mission=planned,
            informed_at=timezone.now() + datetime.timedelta(days=1),
            version=planned.version,
        )
    assert "informed_at" in refused.value.errors


def test_announcing_tells_the_unit_and_is_done_once(vija_actor, planned, ilze):
    announced = services.announce_mission(
        actor=vija_actor, mission=planned, version=planned.version
    )
    assert announced.status == Mission.Status.ANNOUNCED
    assert Notification.objects.filter(recipient=ilze, kind="monitoring.mission_announced").exists()
    with pytest.raises(InvalidTransition):
        services.announce_mission(actor=vija_actor, mission=announced, version=announced.version)


def test_a_stale_plan_is_refused(vija_actor, dace, planned):
    from atpazit.lib.errors import ConcurrentEdit

    with pytest.raises(ConcurrentEdit):
        services.update_plan(
            actor=vija_actor,
            mission=planned,
            monitors=[dace],
            stages=STAGES,
            version=planned.version - 1,
        )
