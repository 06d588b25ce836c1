"""Permission-aware reads of screening sessions, and how a stored session is displayed.

``sessions_visible_to`` is the one scope rule for sessions: a session is visible exactly when its
person is (``cases.selectors.persons_visible_to``) and the actor may read screenings. So the
Border Guard unit that registered a person sees every screening of them, including the
Ombudsman's, and the Ombudsman's Office sees all. Notes and the interpreter's name are
need-to-know: only the screener's own organisation reads them (``may_read_notes``); everyone else
sees that a note exists.

A stored session is displayed from its stored assessment JSON and the catalogue release it used,
never recomputed with the latest release (DESIGN.md §5).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.cases.rules import ADULT_AGE
from atpazit.cases.selectors import persons_visible_to
from atpazit.screening import hooks
from atpazit.screening.catalogue import (
    AgeGroup,
    Catalogue,
    CatalogueError,
    Indicator,
    get_catalogue,
)
from atpazit.screening.engine import (
    Assessment,
    DimensionResult,
    Recommendation,
    assessment_from_dict,
)
from atpazit.screening.models import (
    RECOMMENDATION_CHOICES,
    STAGE_CHOICES,
    Decision,
    ScreeningObservation,
    ScreeningSession,
)
from atpazit.screening.reasons import (
    CHILD_BY_AGE,
    CHILD_BY_DISPUTED_AGE,
    CHILD_BY_PROFILE,
    DIMENSION_LABELS,
    PATTERN_LABELS,
    RECOMMENDATION_LABELS,
    label,
    render_reason,
)

READ = "screening.session:read"
CREATE = "screening.session:create"
NOTES = "screening.notes:read"
CHILD_REASONS = frozenset({CHILD_BY_AGE, CHILD_BY_DISPUTED_AGE, CHILD_BY_PROFILE})
# Recommendations that mean "refer"; a decision other than raising a suspicion departs from them.
REFERRAL_RECOMMENDATIONS = ("refer_for_identification", "child_protection_referral")


# --- scope ---------------------------------------------------------------------------------------


def sessions_visible_to(actor: Actor) -> QuerySet[ScreeningSession]:
    """Sessions of persons the actor may see, if the actor may read screenings; else none."""
    if actor.organisation is None or not actor.can(READ):
        return ScreeningSession.objects.none()
    return ScreeningSession.objects.filter(person__in=persons_visible_to(actor))


def _session_in_scope(actor: Actor, pk: int) -> ScreeningSession:
    queryset = sessions_visible_to(actor).select_related(
        "person", "screener", "organisation", "decided_by"
    )
    try:
        return queryset.get(pk=pk)
    except ScreeningSession.DoesNotExist as exc:
        raise Http404 from exc


def get_session_for_user(actor: Actor, pk: int) -> ScreeningSession:
    """The session ``pk`` with its person, screener and organisation, to display; Http404
    outside scope. The read is audited here as ``screening.viewed`` (I7), saying whether the
    notes are shown (``may_read_notes``)."""
    session = _session_in_scope(actor, pk)
    details = {"person": session.person_id, "notes": may_read_notes(actor, session)}
    log_event("screening.viewed", obj=session, details=details)
    return session


def may_edit(actor: Actor, session: ScreeningSession) -> bool:
    """Only the screener, in the organisation they screened for, while the session is open."""
    organisation = actor.organisation
    return (
        session.is_open
        and actor.can(CREATE)
        and organisation is not None
        and session.screener_id == actor.user.pk
        and session.organisation_id == organisation.pk
    )


# The screener's pages that show a session, and the read event each writes (I7).
SCREENER_READS = {"interview": "screening.viewed"}


def get_session_for_screener(
    actor: Actor, pk: int, *, shown_on: str | None = None
) -> ScreeningSession:
    """The open session ``pk`` the actor is screening: Http404 outside scope, PermissionDenied
    for a session the actor may see but not change (someone else's). A decided session is
    returned as it is; the caller shows it read-only.

    ``shown_on`` names the page that shows the session (``SCREENER_READS``), and the read is
    audited here: the interview form (``screening.viewed``; only an open session, a decided one
    is sent on to its own page, which audits itself). The live assessment comes with each draft,
    a write audited by ``drafts.save_draft``."""
    session = _session_in_scope(actor, pk)
    if session.is_open and not may_edit(actor, session):
        raise PermissionDenied
    if shown_on is not None and (session.is_open or shown_on != "interview"):
        log_event(SCREENER_READS[shown_on], obj=session, details={"person": session.person_id})
    return session


def may_read_notes(actor: Actor, session: ScreeningSession) -> bool:
    """Notes follow need-to-know: only the screener's own organisation reads them."""
    organisation = actor.organisation
    return (
        actor.can(NOTES) and organisation is not None and session.organisation_id == organisation.pk
    )


def sessions_of_person(
    actor: Actor, person: Person, *, shown: bool = False
) -> list[ScreeningSession]:
    """Every screening of ``person`` the actor may see, newest first (one query). With
    ``shown`` the list is displayed, and the read is audited here as ``screenings.listed``."""
    sessions = list(
        sessions_visible_to(actor)
        .filter(person=person)
        .select_related("screener", "organisation", "decided_by")
        .defer("assessment", "interpreter_name", "decision_reason")
        .order_by("-started_at", "-pk")
    )
    if shown:
        log_event("screenings.listed", obj=person, details={"shown": len(sessions)})
    return sessions


def session_list(actor: Actor, *, open_only: bool = False, mine: bool = False) -> QuerySet:
    """The actor's screenings list: visible sessions, newest first, without the heavy columns."""
    queryset = sessions_visible_to(actor)
    if open_only:
        queryset = queryset.filter(completed_at__isnull=True)
    if mine:
        queryset = queryset.filter(screener=actor.user)
    return (
        queryset.select_related("person", "screener", "organisation")
        .defer("assessment", "interpreter_name", "decision_reason")
        .order_by("-started_at", "-pk")
    )


def open_sessions_of(actor: Actor, person: Person) -> list[ScreeningSession]:
    """The actor's own screenings of ``person`` still waiting for a decision."""
    return [
        session
        for session in sessions_of_person(actor, person)
        if session.is_open and session.screener_id == actor.user.pk
    ]


# --- the latest screening per person (the pre-departure check) ----------------------------------


@dataclass(frozen=True)
class LatestScreening:
    """The latest decided screening of a person, as the pre-departure check shows it."""

    session_id: int
    person_id: int
    completed_at: datetime.datetime
    stage: str
    recommendation: str
    decision: str

    @property
    def raised_suspicion(self) -> bool:
        return self.decision == Decision.RAISE_SUSPICION

    @property
    def stage_label(self) -> str | Promise:
        return dict(STAGE_CHOICES).get(self.stage, self.stage)

    @property
    def recommendation_label(self) -> str | Promise:
        return dict(RECOMMENDATION_CHOICES).get(self.recommendation, self.recommendation)

    @property
    def decision_label(self) -> str | Promise:
        return dict(Decision.choices).get(self.decision, self.decision)


def latest_screenings(person_ids: Iterable[int]) -> dict[int, LatestScreening]:
    """Each person's latest decided screening, in ONE query whatever the number of persons.

    Scope is the caller's business (the pre-departure check of an operation the actor may see).
    Persons never screened, or only with sessions still open, are absent.
    """
    ids = list(person_ids)
    if not ids:
        return {}
    decided = ScreeningSession.objects.filter(completed_at__isnull=False)
    newest = decided.filter(person=OuterRef("person")).order_by("-completed_at", "-pk").values("pk")
    rows = (
        decided.filter(person_id__in=ids, pk=Subquery(newest[:1]))
        .order_by()
        .values_list("pk", "person_id", "completed_at", "stage", "recommendation", "decision")
    )
    return {
        person_id: LatestScreening(
            session_id=session_id,
            person_id=person_id,
            completed_at=completed_at,  # type: ignore[arg-type]  # filtered: never NULL
            stage=stage,
            recommendation=recommendation,
            decision=decision,
        )
        for session_id, person_id, completed_at, stage, recommendation, decision in rows
    }


@dataclass(frozen=True)
class DecidedScreening:
    """A decided screening as a check by stage and time reads it (monitoring's rule D9)."""

    session_id: int
    person_id: int
    stage: str
    completed_at: datetime.datetime
    # Run as a child: the engine's child profile or the person facts it read (under 18, age
    # disputed), as ADR 0014 counts a child screening.
    as_child: bool


def decided_screenings(person_ids: Iterable[int]) -> list[DecidedScreening]:
    """Every decided screening of these persons, oldest first, in ONE query whatever the number
    of persons. Sessions still open (no decision recorded) are absent: they are no screening.
    Scope is the caller's business (a check of an operation the actor may see)."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    rows = (
        ScreeningSession.objects.filter(person_id__in=ids, completed_at__isnull=False)
        .order_by("completed_at", "pk")
        .values_list(
            "pk", "person_id", "stage", "completed_at", "age_group", "age_disputed", "person_age"
        )
    )
    return [
        DecidedScreening(
            session_id=pk,
            person_id=person_id,
            stage=stage,
            completed_at=completed_at,  # type: ignore[arg-type]  # filtered: never NULL
            as_child=age_group == AgeGroup.CHILD.value
            or bool(disputed)
            or (age is not None and age < ADULT_AGE),
        )
        for pk, person_id, stage, completed_at, age_group, disputed, age in rows
    ]


# --- displaying a stored session ------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionRow:
    """One dimension's tally as the engine computed it, with its label in the view's language."""

    result: DimensionResult
    label: str


@dataclass(frozen=True)
class AssessmentView:
    """An assessment ready for a template, its labels and reasons in one language."""

    assessment: Assessment
    lang: str
    recommendation_label: str
    pattern_label: str
    is_child: bool
    child_reasons: list[str]
    reasons: list[str]
    dimensions: list[DimensionRow]

    @property
    def recommendation(self) -> str:
        return self.assessment.recommendation.value

    @property
    def refers(self) -> bool:
        return self.recommendation in REFERRAL_RECOMMENDATIONS

    @property
    def before_departure(self) -> bool:
        """R7: interview now and call a provider before the person leaves (DESIGN.md §5)."""
        return self.recommendation == Recommendation.INTERVIEW_BEFORE_DEPARTURE.value


def assessment_view(assessment: Assessment, lang: str) -> AssessmentView:
    """Render ``assessment`` in ``lang`` (lv, en or ru): labels, tallies and every reason."""
    child_reasons: list[str] = []
    reasons: list[str] = []
    for reason in assessment.reasons:
        text = render_reason(reason, lang)
        (child_reasons if reason.code in CHILD_REASONS else reasons).append(text)
    dimensions = [
        DimensionRow(result=result, label=label(DIMENSION_LABELS, result.dimension, lang))
        for result in assessment.dimensions
    ]
    return AssessmentView(
        assessment=assessment,
        lang=lang,
        recommendation_label=label(RECOMMENDATION_LABELS, assessment.recommendation.value, lang),
        pattern_label=label(PATTERN_LABELS, assessment.pattern.value, lang),
        is_child=assessment.profile.age_group is AgeGroup.CHILD,
        child_reasons=child_reasons,
        reasons=reasons,
        dimensions=dimensions,
    )


def stored_assessment(session: ScreeningSession) -> Assessment:
    """The assessment exactly as it was computed and stored; never recomputed."""
    return assessment_from_dict(session.assessment)


def catalogue_of(session: ScreeningSession) -> Catalogue | None:
    """The catalogue release the session used, or None if that release is no longer shipped
    (the page then shows indicator codes only, and the stored assessment still in full)."""
    try:
        return get_catalogue(session.catalogue_version)
    except CatalogueError:
        return None


@dataclass(frozen=True)
class ObservationRow:
    code: str
    text: str
    dimension_label: str
    source_label: str
    note: str
    has_note: bool


def observation_rows(
    session: ScreeningSession, *, lang: str, notes_visible: bool
) -> list[ObservationRow]:
    """The recorded indicators with their texts from the session's own catalogue release.

    Notes are included only when ``notes_visible``; otherwise the row only says one exists.
    """
    catalogue = catalogue_of(session)
    observations: list[ScreeningObservation] = list(session.observations.all())
    rows = []
    for observation in observations:
        indicator = _indicator(catalogue, observation.indicator)
        rows.append(
            ObservationRow(
                code=observation.indicator,
                text=indicator.text.in_language(lang) if indicator else "",
                dimension_label=label(DIMENSION_LABELS, indicator.dimension, lang)
                if indicator
                else "",
                source_label=observation.get_source_display(),
                note=observation.note if notes_visible else "",
                has_note=bool(observation.note),
            )
        )
    return rows


def _indicator(catalogue: Catalogue | None, code: str) -> Indicator | None:
    if catalogue is None or code not in catalogue:
        return None
    return catalogue.indicator(code)


def suspicion_id_of(session: ScreeningSession) -> int | None:
    """The suspicion a "raise a suspicion" decision led to (the one it raised, or the one that
    was already open), for a link to the referral flow; None for other decisions."""
    if session.decision != Decision.RAISE_SUSPICION:
        return None
    return hooks.suspicion_of(session)


# --- dashboards --------------------------------------------------------------------------------------


def departing_unscreened(actor: Actor, *, within_days: int = 7) -> QuerySet[Person]:
    """Persons of the actor's scope due for removal within ``within_days`` who have no decided
    screening at all: the Border Guard should screen them before departure."""
    today = timezone.localdate()
    screened = ScreeningSession.objects.filter(person=OuterRef("pk"), completed_at__isnull=False)
    return (
        persons_visible_to(actor)
        .filter(
            status=Person.Status.REMOVAL_PLANNED,
            planned_removal_date__gte=today,
            planned_removal_date__lte=today + datetime.timedelta(days=within_days),
        )
        .filter(~Exists(screened))
        .only("id", "case_number", "planned_removal_date")
        .order_by("planned_removal_date", "case_number")
    )


def departures_from_advice(actor: Actor, *, since_days: int = 30) -> QuerySet[ScreeningSession]:
    """Recent decided screenings where the engine advised a referral and the screener decided
    otherwise: what an independent monitor looks at first (I2 keeps such decisions legal)."""
    since = timezone.now() - datetime.timedelta(days=since_days)
    return (
        sessions_visible_to(actor)
        .filter(
            completed_at__gte=since,
            recommendation__in=REFERRAL_RECOMMENDATIONS,
        )
        .exclude(decision=Decision.RAISE_SUSPICION)
        .select_related("person", "organisation")
        .defer("assessment", "interpreter_name", "decision_reason")
        .order_by("-completed_at")
    )
