"""Permission-aware reads of forced-return monitoring.

Who sees which mission (I6, deny when unsure):

- the Ombudsman's Office: every mission of its own office (with ``monitoring.mission:read``);
  its observations, checklist answers and internal notes with ``monitoring.observation:read``;
- the Border Guard unit running the operation: the mission once announced to it (status, the
  stages with their times, the monitors, the notice), and the requests to take a person off its
  manifest; never the observations, the answers or the internal notes;
- anyone else: nothing. A mission outside scope is a 404.

Reads of personal data are audited where they are granted (``shown=True``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.monitoring.models import (
    OPEN_STATUSES,
    ChecklistAnswer,
    Mission,
    MissionStage,
    MonitoringReport,
    Observation,
    ObservationRevision,
    RemovalRequest,
    Stage,
)
from atpazit.removals.models import OPEN_STATUSES as OPERATION_OPEN_STATUSES
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import WRITE as MANIFEST_WRITE
from atpazit.removals.selectors import (
    ManifestRow,
    PreDepartureCheck,
    operations_visible_to,
    pre_departure_check,
)
from atpazit.screening.catalogue import Stage as ScreeningStage
from atpazit.screening.selectors import DecidedScreening, decided_screenings

READ = "monitoring.mission:read"
PLAN = "monitoring.mission:plan"
RECORD = "monitoring.mission:record"
INTERNAL = "monitoring.observation:read"
ANSWER = "monitoring.removal_request:answer"
# A mission whose report is approved or published is reported: its observations stay as they are.
REPORTED = (MonitoringReport.Status.APPROVED, MonitoringReport.Status.PUBLISHED)

# What the Border Guard sees of a mission: announced, and what followed.
SHOWN_TO_BORDER_GUARD = (
    Mission.Status.ANNOUNCED,
    Mission.Status.IN_PROGRESS,
    Mission.Status.COMPLETED,
)


def missions_visible_to(actor: Actor) -> QuerySet[Mission]:
    organisation = actor.organisation
    if organisation is None or not actor.can(READ):
        return Mission.objects.none()
    if organisation.type == OrganisationType.OMBUDSMAN:
        return Mission.objects.filter(organisation=organisation)
    if organisation.type == OrganisationType.BORDER_GUARD:
        # A cancelled mission stays visible if it was announced before it was cancelled.
        return Mission.objects.filter(operation__organisation=organisation).filter(
            status__in=SHOWN_TO_BORDER_GUARD
        ) | Mission.objects.filter(
            operation__organisation=organisation,
            status=Mission.Status.CANCELLED,
            announced_at__isnull=False,
        )
    return Mission.objects.none()


def operations_to_plan(actor: Actor) -> list[RemovalOperation]:
    """Open operations the office has no open mission for, soonest first (the planner's list)."""
    if not actor.can(PLAN) or actor.organisation is None:
        return []
    planned = Mission.objects.filter(
        operation=OuterRef("pk"), organisation=actor.organisation, status__in=OPEN_STATUSES
    )
    return list(
        operations_visible_to(actor)
        .filter(status__in=OPERATION_OPEN_STATUSES)
        .exclude(Exists(planned))
        .select_related("organisation")
        .order_by("departure_at", "pk")[:50]
    )


def get_mission_for_user(actor: Actor, pk: int) -> Mission:
    """The mission ``pk`` if the actor may see it, else Http404."""
    try:
        return (
            missions_visible_to(actor)
            .select_related("operation", "operation__organisation", "planned_by", "organisation")
            .get(pk=pk)
        )
    except Mission.DoesNotExist as exc:
        raise Http404 from exc


def is_office(actor: Actor, mission: Mission) -> bool:
    organisation = actor.organisation
    return organisation is not None and organisation.pk == mission.organisation_id


def may_read_internal(actor: Actor, mission: Mission) -> bool:
    """Observations, answers, internal notes: the office's monitors only."""
    return is_office(actor, mission) and actor.can(INTERNAL)


def may_plan(actor: Actor, mission: Mission) -> bool:
    return is_office(actor, mission) and actor.can(PLAN)


def is_assigned(actor: Actor, mission: Mission) -> bool:
    return (
        is_office(actor, mission)
        and actor.can(RECORD)
        and mission.monitors.filter(pk=actor.user.pk).exists()
    )


def may_answer(actor: Actor, mission: Mission) -> bool:
    """A monitor's request to take a person off the manifest is answered by the unit running
    the operation: its case officers (who may change the manifest), and the operation's escort
    leader, to whom the request is addressed (issue 12 item 4)."""
    organisation = actor.organisation
    operation = mission.operation
    return (
        organisation is not None
        and actor.can(ANSWER)
        and organisation.pk == operation.organisation_id
        and (actor.can(MANIFEST_WRITE) or operation.escort_leader_id == actor.user.pk)
    )


# --- the mission page ---------------------------------------------------------------------------


@dataclass
class MissionPage:
    mission: Mission
    stages: list[MissionStage]
    monitors: list
    internal: bool
    observations: list[Observation]
    answers: dict[int, dict[str, ChecklistAnswer]]
    requests: list[RemovalRequest]


def mission_page(actor: Actor, mission: Mission) -> MissionPage:
    """What the mission page shows this actor, audited as ``mission.viewed`` (with whether the
    office's internal material was shown). The Border Guard gets the stages, the monitors and
    the requests to take a person off its manifest; never observations or answers."""
    internal = may_read_internal(actor, mission)
    stages = sorted(
        mission.stages.prefetch_related(
            Prefetch("answers", queryset=ChecklistAnswer.objects.all())
        ),
        key=lambda row: row.order,
    )
    observations: list[Observation] = []
    answers: dict[int, dict[str, ChecklistAnswer]] = {}
    if internal:
        observations = list(
            mission.observations.select_related("stage", "person", "recorded_by").order_by(
                "-observed_at", "-pk"
            )
        )
        answers = {row.pk: {a.item_code: a for a in row.answers.all()} for row in stages}
    requests = list(
        mission.removal_requests.select_related("person", "requested_by", "answered_by")
    )
    log_event(
        "mission.viewed",
        obj=mission,
        details={
            "internal": internal,
            "observations": len(observations),
            "requests": len(requests),
        },
    )
    return MissionPage(
        mission=mission,
        stages=stages,
        monitors=list(mission.monitors.order_by("last_name", "first_name")),
        internal=internal,
        observations=observations,
        answers=answers,
        requests=requests,
    )


def get_stage_for_recording(actor: Actor, mission: Mission, stage: str) -> MissionStage:
    """A covered stage of a mission the actor records (404 if not covered or not theirs)."""
    if not may_read_internal(actor, mission):
        raise Http404
    try:
        return mission.stages.get(stage=stage)
    except MissionStage.DoesNotExist as exc:
        raise Http404 from exc


def observations_at(actor: Actor, stage: MissionStage, *, shown: bool = False) -> list[Observation]:
    """The observations of one stage, newest first; audited when shown."""
    if not may_read_internal(actor, stage.mission):
        return []
    rows = list(
        stage.observations.select_related("person", "recorded_by").order_by("-observed_at", "-pk")
    )
    if shown:
        log_event(
            "observations.listed",
            obj=stage.mission,
            details={"stage": stage.stage, "rows": len(rows)},
        )
    return rows


def get_observation_for_user(actor: Actor, pk: int, *, shown: bool = False) -> Observation:
    """An observation of the actor's office (404 for anyone else, the Border Guard included);
    audited as ``observation.viewed`` where a page shows it."""
    try:
        observation = Observation.objects.select_related(
            "mission", "mission__operation", "stage", "person"
        ).get(pk=pk)
    except Observation.DoesNotExist as exc:
        raise Http404 from exc
    if not may_read_internal(actor, observation.mission):
        raise Http404
    if shown:
        log_event(
            "observation.viewed",
            obj=observation,
            details={"mission": observation.mission_id, "person": observation.person_id},
        )
    return observation


def observation_editable(actor: Actor, observation: Observation) -> bool:
    """Whether the actor may correct the observation now: its author, in the Office, while
    the mission is not cancelled and none of its reports is approved or published
    (``services.edit_observation`` decides again under lock)."""
    mission = observation.mission
    return (
        observation.recorded_by_id == actor.user.pk
        and may_read_internal(actor, mission)
        and actor.can(RECORD)
        and mission.status != Mission.Status.CANCELLED
        and not mission.reports.filter(status__in=REPORTED).exists()
    )


def editable_observations(actor: Actor, mission: Mission) -> set[int]:
    """The ids of the mission's observations the actor may correct now (one query each)."""
    if not may_read_internal(actor, mission) or not actor.can(RECORD):
        return set()
    if mission.status == Mission.Status.CANCELLED:
        return set()
    if mission.reports.filter(status__in=REPORTED).exists():
        return set()
    return set(mission.observations.filter(recorded_by=actor.user).values_list("pk", flat=True))


def published_reports(mission: Mission) -> list[MonitoringReport]:
    """The mission's published reports: public, so shown to whoever sees the mission."""
    return list(
        mission.reports.filter(status=MonitoringReport.Status.PUBLISHED).order_by("language")
    )


def revisions_of(observation: Observation) -> list[ObservationRevision]:
    """What the observation said before each change, newest first (shown with it: its read is
    the observation's)."""
    return list(observation.revisions.select_related("changed_by"))


# --- the screening check of every returnee (D9) and the monitor's pre-departure view ----------


# The screening stages that count for each stage rule D9 names (ADR 0022): before the return,
# the detention intake or the pre-return interview; before departure, the pre-departure
# screening. A transfer, in-flight or hand-over screening is neither: it comes after the
# returnee has left the place where they could still be taken off the manifest.
D9_SCREENING_STAGES: dict[str, frozenset[str]] = {
    Stage.PRE_RETURN: frozenset(
        {ScreeningStage.DETENTION_INTAKE.value, ScreeningStage.PRE_RETURN_INTERVIEW.value}
    ),
    Stage.PRE_DEPARTURE: frozenset({ScreeningStage.PRE_DEPARTURE.value}),
}
D9_STAGES = (Stage.PRE_RETURN, Stage.PRE_DEPARTURE)


@dataclass(frozen=True)
class ReturneeScreening:
    """One returnee on the manifest and the D9 stages without a screening that counts."""

    row: ManifestRow
    # Stage values (monitoring ``Stage``), in the order of the removal; empty when screened.
    missing: tuple[str, ...]

    @property
    def person(self) -> Person:
        return self.row.person

    @property
    def missing_labels(self) -> list[str]:
        return [str(Stage(stage).label) for stage in self.missing]


@dataclass(frozen=True)
class ScreeningCheck:
    """Whether every returnee on the manifest was screened at pre-return and pre-departure
    (rule D9, ADR 0022)."""

    rows: list[ReturneeScreening]

    @cached_property
    def not_screened(self) -> list[ReturneeScreening]:
        return [row for row in self.rows if row.missing]

    @cached_property
    def by_person(self) -> dict[int, ReturneeScreening]:
        return {row.person.pk: row for row in self.rows}

    @property
    def all_screened(self) -> bool:
        """Every returnee screened at both stages; never true of an empty manifest."""
        return bool(self.rows) and not self.not_screened


def screening_check(mission: Mission) -> ScreeningCheck:
    """Rule D9 from the screening records, for every person on the manifest now (not audited
    here: the caller decides what it shows)."""
    operation = mission.operation
    return d9_check(operation, pre_departure_check(operation).rows)


def d9_check(operation: RemovalOperation, rows: list[ManifestRow]) -> ScreeningCheck:
    """Rule D9 for the manifest ``rows`` of ``operation`` (ADR 0022), in two queries whatever
    their number. A stage counts as screened for a returnee when a *decided* screening at one of
    its screening stages (``D9_SCREENING_STAGES``) exists

    - of the returnee's record or of a record linked with it as the same human (a case
      officer's decision, ``Person.identity_root``); a likely duplicate nobody resolved never
      counts, nor does any other person's screening;
    - completed before the operation's departure (a screening after it is not a screening
      before departure of this operation);
    - for the pre-departure stage, completed once the person was on this manifest (one done for
      an earlier operation is not this operation's pre-departure screening);
    - for a child or a person whose age is disputed (``ManifestRow.is_child``), run as a child
      (ADR 0014): an adult screening of a child does not count.
    """
    if not rows:
        return ScreeningCheck(rows=[])
    persons = [row.person for row in rows]
    group_of = _same_human(persons)
    sessions: dict[int, list[DecidedScreening]] = defaultdict(list)
    for screening in decided_screenings(group_of):
        if screening.completed_at < operation.departure_at:
            sessions[group_of[screening.person_id]].append(screening)
    # When the human was first on this manifest (under any of their linked records).
    on_manifest: dict[int, datetime.datetime] = {}
    for row in rows:
        key = group_of[row.person.pk]
        on_manifest[key] = min(row.entry.added_at, on_manifest.get(key, row.entry.added_at))
    result = []
    for row in rows:
        key = group_of[row.person.pk]
        missing = tuple(
            stage
            for stage in D9_STAGES
            if not any(
                _counts(screening, stage, is_child=row.is_child, since=on_manifest[key])
                for screening in sessions.get(key, [])
            )
        )
        result.append(ReturneeScreening(row=row, missing=missing))
    return ScreeningCheck(rows=result)


def _same_human(persons: list[Person]) -> dict[int, int]:
    """{record pk: its human's key} for the persons and every record linked with them (one
    query, none when nobody is linked). The key is the identity root, or the record itself."""
    group_of = {person.pk: person.identity_root_id or person.pk for person in persons}
    roots = {person.identity_root_id for person in persons if person.identity_root_id}
    if roots:
        linked = Person.objects.filter(identity_root_id__in=roots).values_list(
            "pk", "identity_root_id"
        )
        group_of.update({pk: root for pk, root in linked})
    return group_of


def _counts(
    screening: DecidedScreening, stage: str, *, is_child: bool, since: datetime.datetime
) -> bool:
    if screening.stage not in D9_SCREENING_STAGES[stage]:
        return False
    if is_child and not screening.as_child:
        return False
    return stage != Stage.PRE_DEPARTURE or screening.completed_at >= since


@dataclass
class MonitorPreDeparture:
    mission: Mission
    check: PreDepartureCheck
    screening: ScreeningCheck
    requests: dict[int, RemovalRequest]


def monitor_pre_departure(actor: Actor, mission: Mission) -> MonitorPreDeparture:
    """The operation's pre-departure check as the monitors see it (removals' own check, reused),
    with the requests already made per person; audited as ``mission.pre_departure_viewed``."""
    if not may_read_internal(actor, mission):
        raise Http404
    check = pre_departure_check(mission.operation)
    screening = d9_check(mission.operation, check.rows)
    requests: dict[int, RemovalRequest] = {}
    for request in mission.removal_requests.order_by("requested_at", "pk"):
        requests[request.person_id] = request
    log_event(
        "mission.pre_departure_viewed",
        obj=mission,
        details={"persons": len(check.rows), "not_screened": len(screening.not_screened)},
    )
    return MonitorPreDeparture(mission=mission, check=check, screening=screening, requests=requests)


def get_removal_request_for_user(actor: Actor, pk: int, *, shown: bool = False) -> RemovalRequest:
    """A request to take a person off a manifest: for the office that made it and the unit
    running the operation (once the mission is announced, which it is while recording)."""
    try:
        request = RemovalRequest.objects.select_related(
            "mission", "mission__operation", "person", "requested_by", "answered_by"
        ).get(pk=pk)
    except RemovalRequest.DoesNotExist as exc:
        raise Http404 from exc
    mission = request.mission
    if not (may_read_internal(actor, mission) or may_answer(actor, mission)):
        raise Http404
    if not missions_visible_to(actor).filter(pk=mission.pk).exists():
        raise Http404
    if shown:
        log_event("removal_request.viewed", obj=request, details={"person": request.person_id})
    return request


def pending_requests_for(actor: Actor) -> QuerySet[RemovalRequest]:
    """Requests waiting for the actor's answer (its dashboard): the unit's, for a case officer;
    those of the operations an officer leads the escort of."""
    organisation = actor.organisation
    if organisation is None or not actor.can(ANSWER):
        return RemovalRequest.objects.none()
    requests = RemovalRequest.objects.filter(
        mission__operation__organisation=organisation, status=RemovalRequest.Status.PENDING
    )
    if not actor.can(MANIFEST_WRITE):
        # An officer answers those of the operations they lead the escort of.
        requests = requests.filter(mission__operation__escort_leader=actor.user)
    return requests.select_related("person", "mission", "mission__operation")
