"""The demo charter gets one announced monitoring mission, however often the demo is loaded."""

from __future__ import annotations

from django.core.management import call_command

from atpazit.monitoring import demo
from atpazit.monitoring.models import ChecklistAnswer, Mission, Observation


def test_the_demo_charter_has_one_announced_mission(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    mission = Mission.objects.get(operation__reference=demo.CHARTER)
    assert mission.status == Mission.Status.ANNOUNCED
    assert mission.informed_in_time is True
    assert Observation.objects.filter(mission=mission).count() == 1
    assert ChecklistAnswer.objects.filter(
        stage__mission=mission, item_code="screened_before_departure", automatic=True
    ).exists()
    assert demo.load() == ["monitoring: the demo mission is already there"]
    assert Mission.objects.count() == 1
