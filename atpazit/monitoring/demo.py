"""A synthetic monitoring mission for the demo charter (RP-2026/014 to Uzbekistan).

Sarmīte (head of monitoring) plans it with Dace as monitor, records that the Border Guard informed
the office two hours ago and announces it to the Riga unit; Dace answers part of the pre-departure
checklist and records an observation. Everything through the services; idempotent (a mission
of the office on that operation means the demo is loaded).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, User
from atpazit.monitoring import services
from atpazit.monitoring.models import Mission, Observation, Stage
from atpazit.monitoring.services import AnswerInput, StagePlan
from atpazit.removals.models import RemovalOperation

CHARTER = "RP-2026/014"
STAGES = (Stage.PRE_DEPARTURE, Stage.TRANSFER, Stage.BOARDING, Stage.IN_FLIGHT, Stage.HANDOVER)
OBSERVATION = (
    "Pirms izvešanas no centra izraidāmajiem netika paskaidrots, kas notiks lidostā; tulks "
    "bija pieejams tikai pa tālruni."
)


def _actor(username: str) -> Actor | None:
    membership = (
        Membership.objects.filter(user__username=username, is_active=True)
        .select_related("user", "organisation")
        .first()
    )
    return None if membership is None else Actor(user=membership.user, membership=membership)


@transaction.atomic
def load() -> list[str]:
    head, monitor = _actor("tb.vaditaja"), _actor("tb.monitors")
    operation = RemovalOperation.objects.filter(reference=CHARTER).first()
    if head is None or monitor is None or operation is None:
        return ["monitoring: demo users or the demo charter missing; load those demos first"]
    if Mission.objects.filter(operation=operation, organisation=head.organisation).exists():
        return ["monitoring: the demo mission is already there"]
    mission = services.plan_mission(
        actor=head,
        operation=operation,
        monitors=[User.objects.get(pk=monitor.user.pk)],
        stages=[StagePlan(stage) for stage in STAGES],
        informed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    mission = services.announce_mission(actor=head, mission=mission, version=mission.version)
    services.answer_checklist(
        actor=monitor,
        mission=mission,
        stage=Stage.PRE_DEPARTURE,
        answers={
            "body_search_dignity": AnswerInput("yes"),
            "interpreter_available": AnswerInput("no", "Tulks tikai pa tālruni."),
            "families_kept_together": AnswerInput("not_applicable"),
        },
    )
    services.record_observation(
        actor=monitor,
        mission=mission,
        stage=Stage.PRE_DEPARTURE,
        category=Observation.Category.INFORMATION,
        severity=Observation.Severity.CONCERN,
        text=OBSERVATION,
    )
    return [f"monitoring: demo mission {mission} for {CHARTER} planned and announced"]
