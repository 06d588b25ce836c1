"""Factories for monitoring missions, one per state a test needs.

They write rows directly so a test can build any state; tests of the services call the services.
A mission's organisation is an Ombudsman's Office, its head of monitoring and monitors members
of it, its operation a Border Guard unit's charter a week from now.
"""

from __future__ import annotations

import factory
from django.utils import timezone

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.cases.models import Person
from atpazit.monitoring.checklists import current_version
from atpazit.monitoring.models import (
    Mission,
    MissionStage,
    Observation,
    RemovalRequest,
    Stage,
)
from atpazit.removals.models import RemovalOperation
from atpazit.removals.tests.factories import (
    ConfirmedOperationFactory,
    PlannedOperationFactory,
    person_on,
)
from atpazit.screening.catalogue import Stage as ScreeningStage


def head_of_monitoring(organisation: Organisation | None = None, **fields: object) -> User:
    organisation = organisation or OrganisationFactory(type=OrganisationType.OMBUDSMAN)
    return member("head_of_monitoring", organisation, **fields)


def monitor(organisation: Organisation | None = None, **fields: object) -> User:
    organisation = organisation or OrganisationFactory(type=OrganisationType.OMBUDSMAN)
    return member("monitor", organisation, **fields)


class PlannedMissionFactory(factory.django.DjangoModelFactory):
    """A mission planned for a charter, not yet announced to the Border Guard."""

    class Meta:
        model = Mission
        skip_postgeneration_save = True

    operation = factory.SubFactory(PlannedOperationFactory)
    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.OMBUDSMAN)
    planned_by = factory.LazyAttribute(lambda mission: head_of_monitoring(mission.organisation))
    status = Mission.Status.PLANNED
    checklist_version = factory.LazyFunction(current_version)

    @factory.post_generation
    def monitors(obj: Mission, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        """``monitors=[dace]`` assigns those; by default one new monitor of the Office."""
        if not create:
            return
        chosen = extracted if extracted is not None else [monitor(obj.organisation)]
        obj.monitors.set(chosen)  # type: ignore[arg-type]

    @factory.post_generation
    def stages(obj: Mission, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        """``stages=["pre_departure", "handover"]``; by default pre-departure to hand-over."""
        if not create:
            return
        chosen = extracted if extracted is not None else DEFAULT_STAGES
        for stage in chosen:  # type: ignore[attr-defined]
            MissionStage.objects.create(mission=obj, stage=stage)


DEFAULT_STAGES = (
    Stage.PRE_DEPARTURE,
    Stage.TRANSFER,
    Stage.BOARDING,
    Stage.IN_FLIGHT,
    Stage.HANDOVER,
)


class AnnouncedMissionFactory(PlannedMissionFactory):
    """Announced to the Border Guard unit running the operation (it now sees the mission)."""

    operation = factory.SubFactory(ConfirmedOperationFactory)
    status = Mission.Status.ANNOUNCED
    announced_at = factory.LazyFunction(timezone.now)
    announced_by = factory.SelfAttribute("planned_by")


class InProgressMissionFactory(AnnouncedMissionFactory):
    status = Mission.Status.IN_PROGRESS


class CompletedMissionFactory(AnnouncedMissionFactory):
    status = Mission.Status.COMPLETED


class CancelledMissionFactory(PlannedMissionFactory):
    status = Mission.Status.CANCELLED


def stage_of(mission: Mission, stage: str = Stage.PRE_DEPARTURE) -> MissionStage:
    return MissionStage.objects.get_or_create(mission=mission, stage=stage)[0]


class ObservationFactory(factory.django.DjangoModelFactory):
    """A monitor's observation at the pre-departure stage of a running mission."""

    class Meta:
        model = Observation

    mission = factory.SubFactory(InProgressMissionFactory)
    stage = factory.LazyAttribute(lambda observation: stage_of(observation.mission))
    category = Observation.Category.ESCORT
    severity = Observation.Severity.CONCERN
    observed_at = factory.LazyFunction(timezone.now)
    text = "Eskorta vadītājs nepaskaidroja izraidāmajam, kas notiks."
    recorded_by = factory.LazyAttribute(lambda observation: observation.mission.monitors.first())


class PendingRemovalRequestFactory(factory.django.DjangoModelFactory):
    """A monitor's request, still unanswered, to take a person on the manifest off it."""

    class Meta:
        model = RemovalRequest

    mission = factory.SubFactory(InProgressMissionFactory)
    person = factory.LazyAttribute(lambda request: person_on(request.mission.operation))
    reason = "Pazīmes, ka persona varētu būt cilvēku tirdzniecības upuris."
    requested_by = factory.LazyAttribute(lambda request: request.mission.monitors.first())
    status = RemovalRequest.Status.PENDING


def screened_on(operation: RemovalOperation, **fields: object) -> Person:
    """A person put on the operation's manifest and then screened, decided, at both stages rule
    D9 asks for: at detention intake (pre-return) and at pre-departure."""
    from atpazit.screening.tests.factories import DecidedSessionFactory

    person = person_on(operation, **fields)
    DecidedSessionFactory(person=person, stage=ScreeningStage.DETENTION_INTAKE)
    DecidedSessionFactory(person=person, stage=ScreeningStage.PRE_DEPARTURE)
    return person
