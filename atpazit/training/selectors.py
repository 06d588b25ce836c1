"""Permission-aware reads of training: scenarios, attempts, progress, cohort results.

Training records are the trainee's own: a trainee (or a trainer practising) sees only their own
attempts and progress (404 otherwise); a trainer sees the results of the trainees of their
active organisation, and never a single answer of theirs. Scenarios are invented: the shipped library
is readable by everyone who may practise; a version a trainer wrote belongs to the trainer's
organisation and is seen (and edited) only there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import Role
from atpazit.training.course import Course, Module, get_course
from atpazit.training.library import Scenario, ScenarioError, parse_scenario, shipped_scenarios
from atpazit.training.models import Attempt, AuthoredScenario, Certificate

PRACTISE = "training.practice:take"
COHORT = "training.cohort:read"
AUTHOR = "training.scenario:author"


# --- scenarios ------------------------------------------------------------------------------


def _authored(row: AuthoredScenario) -> Scenario | None:
    try:
        return parse_scenario(row.data, origin=f"{row.scenario_id} v{row.version}")
    except ScenarioError:
        # A stored version no longer valid against its catalogue release is not practised;
        # the trainer's list shows it for review.
        return None


def _authored_in(organisation: Organisation | None) -> QuerySet[AuthoredScenario]:
    """The versions trainers of ``organisation`` wrote; none without an organisation."""
    if organisation is None:
        return AuthoredScenario.objects.none()
    return AuthoredScenario.objects.filter(organisation=organisation)


def current_versions(
    organisation: Organisation | None,
) -> dict[str, tuple[Scenario, AuthoredScenario | None]]:
    """Every scenario practised now in ``organisation``, by id, with the stored version it is
    (None for a shipped file): the shipped file, or the newest version a trainer of that
    organisation wrote when it is newer than the file. Another organisation's versions are never
    seen (review of issue 13)."""
    scenarios: dict[str, tuple[Scenario, AuthoredScenario | None]] = {
        scenario.id: (scenario, None) for scenario in shipped_scenarios()
    }
    newest: dict[str, AuthoredScenario] = {}
    for row in _authored_in(organisation).order_by("scenario_id", "-version"):
        newest.setdefault(row.scenario_id, row)
    for scenario_id, row in newest.items():
        shipped = scenarios.get(scenario_id)
        if shipped is None or row.version > shipped[0].version:
            authored = _authored(row)
            if authored is not None:
                scenarios[scenario_id] = (authored, row)
    return dict(sorted(scenarios.items()))


def current_scenarios(organisation: Organisation | None) -> dict[str, Scenario]:
    """Every scenario practised now in ``organisation``, by id (``current_versions``)."""
    return {key: scenario for key, (scenario, _row) in current_versions(organisation).items()}


def get_current_scenario(actor: Actor, scenario_id: str) -> Scenario:
    """The scenario practised now in the actor's organisation; 404 for an id it cannot see
    (another organisation's scenario included)."""
    try:
        return current_scenarios(actor.organisation)[scenario_id]
    except KeyError as exc:
        raise Http404 from exc


def scenario_version(scenario_id: str, version: int, organisation: Organisation | None) -> Scenario:
    """The exact version an attempt was made on (a file, or a version written in the
    attempt's organisation)."""
    for scenario in shipped_scenarios():
        if scenario.id == scenario_id and scenario.version == version:
            return scenario
    row = _authored_in(organisation).filter(scenario_id=scenario_id, version=version).first()
    authored = _authored(row) if row is not None else None
    if authored is None:
        raise Http404
    return authored


def attempt_scenario(attempt: Attempt) -> Scenario:
    """The scenario exactly as the attempt was taken on: the trainer's stored version it names,
    else the shipped file of its number (attempts from before versions were named are looked
    up by number, as ``scenario_version`` does)."""
    if attempt.authored_id is not None:
        assert attempt.authored is not None
        authored = _authored(attempt.authored)
        if authored is None:
            raise Http404
        return authored
    return scenario_version(attempt.scenario_id, attempt.scenario_version, attempt.organisation)


def next_version(organisation: Organisation | None, scenario_id: str) -> int:
    """The version number the next version of ``scenario_id`` written in ``organisation``
    gets: after the shipped file's and the organisation's own."""
    shipped = {s.id: s.version for s in shipped_scenarios()}.get(scenario_id, 0)
    stored = _authored_in(organisation).filter(scenario_id=scenario_id)
    return max([shipped, *stored.values_list("version", flat=True)]) + 1


def authored_versions(actor: Actor) -> QuerySet[AuthoredScenario]:
    """The versions written in the actor's active organisation (trainers only)."""
    if not actor.can(AUTHOR):
        return AuthoredScenario.objects.none()
    return _authored_in(actor.organisation).select_related("author")


# --- attempts -------------------------------------------------------------------------------


def attempts_visible_to(actor: Actor) -> QuerySet[Attempt]:
    """The actor's own attempts; nobody else's."""
    if not actor.can(PRACTISE):
        return Attempt.objects.none()
    return Attempt.objects.filter(trainee=actor.user).select_related("authored")


def get_attempt_for_user(actor: Actor, pk: int) -> Attempt:
    try:
        return attempts_visible_to(actor).get(pk=pk)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


# --- progress -------------------------------------------------------------------------------


@dataclass
class ScenarioProgress:
    scenario: Scenario
    best: Attempt | None
    open_attempt: Attempt | None


@dataclass
class ModuleProgress:
    module: Module
    scenarios: list[ScenarioProgress]
    score: int
    done: int
    passed: bool


@dataclass
class Progress:
    course: Course
    modules: list[ModuleProgress]
    certificate: Certificate | None = None
    missed: list[tuple[str, int]] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return all(module.passed for module in self.modules)

    @property
    def passed_count(self) -> int:
        return sum(1 for module in self.modules if module.passed)


def _module_progress(
    module: Module, attempts: list[Attempt], scenarios: dict[str, Scenario], pass_mark: int
) -> ModuleProgress:
    rows = []
    for scenario_id in module.scenarios:
        mine = [a for a in attempts if a.module == module.code and a.scenario_id == scenario_id]
        completed = [a for a in mine if not a.is_open]
        best = max(completed, key=lambda a: (a.score or 0, a.pk), default=None)
        open_attempt = next((a for a in mine if a.is_open), None)
        rows.append(ScenarioProgress(scenarios[scenario_id], best, open_attempt))
    scores = [row.best.score or 0 if row.best else 0 for row in rows]
    score = round(sum(scores) / len(scores)) if scores else 0
    done = sum(1 for row in rows if row.best is not None)
    passed = done == len(rows) and score >= pass_mark
    return ModuleProgress(module, rows, score, done, passed)


def progress_of(user: User, organisation: Organisation | None) -> Progress:
    """A trainee's progress through the course: the best completed attempt per scenario of each
    module, the module's score (the mean of those, a scenario not yet done counting 0), and
    whether it is passed (every scenario done, score at least the pass mark)."""
    course = get_course()
    scenarios = current_scenarios(organisation)
    attempts = list(Attempt.objects.filter(trainee=user).exclude(module=""))
    modules = [_module_progress(m, attempts, scenarios, course.pass_mark) for m in course.modules]
    certificate = Certificate.objects.filter(trainee=user).first()
    return Progress(course, modules, certificate)


def my_progress(actor: Actor) -> Progress:
    if not actor.can(PRACTISE):
        raise Http404
    return progress_of(actor.user, actor.organisation)


# --- the trainer's view of a cohort -----------------------------------------------------------


@dataclass
class TraineeRow:
    user: User
    progress: Progress
    attempts: int


@dataclass
class Cohort:
    trainees: list[TraineeRow]
    missed: list[tuple[str, int]]
    attempts: int


def cohort_of(actor: Actor) -> Cohort:
    """The trainees of the trainer's active organisation, their module scores, and the
    indicators most often missed in their completed attempts (in that organisation)."""
    organisation = actor.organisation
    if organisation is None or not actor.can(COHORT):
        return Cohort([], [], 0)
    memberships = Membership.objects.filter(
        organisation=organisation, role=Role.TRAINEE
    ).select_related("user")
    rows = []
    for membership in memberships.order_by("user__last_name", "user__first_name", "user__pk"):
        count = Attempt.objects.filter(
            trainee=membership.user, organisation=organisation, completed_at__isnull=False
        ).count()
        rows.append(TraineeRow(membership.user, progress_of(membership.user, organisation), count))
    completed = Attempt.objects.filter(organisation=organisation, completed_at__isnull=False)
    missed: Counter[str] = Counter()
    for codes in completed.values_list("missed", flat=True):
        missed.update(codes)
    ranked = sorted(missed.items(), key=lambda item: (-item[1], item[0]))
    return Cohort(rows, ranked[:15], completed.count())
