"""Writes for screening: start a session, record what was observed, record the decision.

Every function here is keyword-only, checks the actor's permission and scope, writes under
``transaction.atomic`` and appends an audit event with codes and ids only (I7). The engine is
pure (``engine.evaluate``); these functions feed it and store its assessment exactly as computed,
with the catalogue version it used. The assessment is advice: the decision is the screener's, with
a reason (I2). A decision to raise a suspicion hands over to the referral flow in one place,
``hooks.suspicion_decided``, through the handler the referral flow registers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.services import log_event
from atpazit.cases import geo
from atpazit.cases.models import Person
from atpazit.cases.rules import age_on, parse_date_of_birth
from atpazit.cases.selectors import persons_visible_to
from atpazit.lib import errors
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.screening import hooks
from atpazit.screening.catalogue import (
    LANGUAGES,
    AgeGroup,
    Catalogue,
    CatalogueError,
    Form,
    Profile,
    Stage,
    get_catalogue,
    latest_catalogue,
)
from atpazit.screening.engine import (
    Assessment,
    EvidenceSource,
    Observation,
    PersonFacts,
    assessment_to_dict,
    evaluate,
)
from atpazit.screening.models import (
    Decision,
    InterviewDraft,
    ScreeningObservation,
    ScreeningSession,
)
from atpazit.screening.translations import prompt_languages

CREATE = "screening.session:create"
NOTE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 4000
INTERPRETER_MAX_LENGTH = 200
OLDEST_AGE = 130


class AlreadyDecided(ServiceError):
    """The decision is recorded: the session is final and displays as it was computed."""


class ConcurrentEdit(errors.ConcurrentEdit):
    """The session changed after the form was loaded; nothing was saved."""

    def __init__(self, session: ScreeningSession) -> None:
        self.session = session
        super().__init__(
            _(
                "This screening was saved elsewhere after you opened it (perhaps in another "
                "window). Nothing was saved: check the ticks below and save again."
            )
        )


@dataclass(frozen=True)
class SessionSetup:
    """What the screener chooses before the interview starts."""

    stage: str
    interview_language: str
    prompt_language: str
    officer_language: str
    exploitation_form: str = Form.UNKNOWN.value
    treat_as_child: bool = False
    suspected_of_offence: bool = False
    interpreter_used: bool = False
    interpreter_name: str = ""


@dataclass(frozen=True)
class ObservationInput:
    """One ticked indicator as the form gives it: code, evidence source and an optional note."""

    indicator: str
    source: str = EvidenceSource.SAID_BY_PERSON.value
    note: str = ""


@dataclass(frozen=True)
class ProfileInput:
    """The profile choices the interview form can change while the interview goes on."""

    exploitation_form: str
    treat_as_child: bool = False
    suspected_of_offence: bool = False


# --- the engine, fed from a person and a session ----------------------------------------------


def person_facts(person: Person, *, today: date, suspected_of_offence: bool = False) -> PersonFacts:
    """The facts the engine reads, from the person as recorded now.

    The age is the youngest any evidence allows (date of birth, year of birth, stated age), the
    same presumption of minority as ``cases.rules.is_child``: with only a year of birth, a person
    who turns 18 this year counts as 17 until the year is over.
    """
    ages = []
    birth_date = parse_date_of_birth(person.date_of_birth)
    if birth_date is not None:
        ages.append(age_on(birth_date, today))
    if person.birth_year is not None:
        ages.append(today.year - person.birth_year - 1)
    if person.stated_age is not None:
        ages.append(person.stated_age)
    plausible = [age for age in ages if 0 <= age <= OLDEST_AGE]
    return PersonFacts(
        age=min(plausible) if plausible else None,
        age_disputed=person.age_disputed,
        suspected_of_offence=suspected_of_offence,
    )


def assess(
    *,
    catalogue: Catalogue,
    session: ScreeningSession,
    observations: Sequence[ObservationInput],
    profile: ProfileInput,
    facts: PersonFacts,
) -> Assessment:
    """Run the engine for a session's catalogue with the given ticks; pure, writes nothing.

    Used by ``set_observations`` and by the live preview, so both give the same advice.
    Unknown codes raise InvalidInput (the caller validates first).
    """
    requested = AgeGroup.CHILD if profile.treat_as_child else AgeGroup.ADULT
    chosen = Profile(requested, Form(profile.exploitation_form))
    stage = Stage(session.stage)
    engine_observations = [
        Observation(item.indicator, EvidenceSource(item.source), stage) for item in observations
    ]
    return evaluate(catalogue, chosen, engine_observations, facts, stage=stage)


def session_catalogue(session: ScreeningSession) -> Catalogue:
    """The catalogue release the session was started with (never the latest, if different)."""
    try:
        return get_catalogue(session.catalogue_version)
    except CatalogueError as exc:
        raise ServiceError(
            _("The indicator catalogue %(version)s this screening used is not available.")
            % {"version": session.catalogue_version}
        ) from exc


# --- checks ------------------------------------------------------------------------------------


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission) or actor.organisation is None:
        raise NotAllowed(_("Your role does not allow this."))


def _check_person_visible(actor: Actor, person: Person) -> None:
    if not persons_visible_to(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You cannot screen a person outside your cases."))


def _lock(session: ScreeningSession) -> ScreeningSession:
    """Re-read the session under a row lock; every change of a session starts here."""
    return ScreeningSession.objects.select_for_update().select_related("person").get(pk=session.pk)


def _check_editable(actor: Actor, session: ScreeningSession, version: int | None) -> None:
    _require(actor, CREATE)
    organisation = actor.organisation
    if session.screener_id != actor.user.pk or (
        organisation is not None and session.organisation_id != organisation.pk
    ):
        raise NotAllowed(_("Only the screener can change this screening."))
    if not session.is_open:
        raise AlreadyDecided(
            _("The decision on this screening is recorded; it can no longer be changed.")
        )
    if version is not None and version != session.version:
        raise ConcurrentEdit(session)


def lock_for_change(
    actor: Actor, session: ScreeningSession, version: int | None
) -> ScreeningSession:
    """The session re-read under a row lock, once the actor may change it at ``version``
    (raises NotAllowed, AlreadyDecided, ConcurrentEdit). For writes beside this module's own."""
    current = _lock(session)
    _check_editable(actor, current, version)
    return current


def _setup_errors(setup: SessionSetup, prompt_choices: tuple[str, ...]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if setup.stage not in set(Stage):
        errors["stage"] = [_("Choose the stage of the removal.")]
    if not geo.is_language(setup.interview_language):
        errors["interview_language"] = [_("Choose the language the interview is held in.")]
    if setup.prompt_language not in prompt_choices:
        errors["prompt_language"] = [
            _("The prompts are not translated into that language; choose another.")
        ]
    if setup.officer_language not in LANGUAGES:
        errors["officer_language"] = [_("Choose Latvian, English or Russian.")]
    if setup.exploitation_form not in set(Form):
        errors["exploitation_form"] = [_("Choose a form of exploitation.")]
    if len(setup.interpreter_name.strip()) > INTERPRETER_MAX_LENGTH:
        errors["interpreter_name"] = [_("The interpreter's name is too long.")]
    if setup.interpreter_name.strip() and not setup.interpreter_used:
        errors["interpreter_used"] = [
            _("Tick “interpreter used” or remove the interpreter's name.")
        ]
    return errors


def _observation_errors(
    catalogue: Catalogue, observations: Sequence[ObservationInput]
) -> dict[str, list[str]]:
    """Check every tick against the session's catalogue; errors are keyed by indicator code."""
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for item in observations:
        problems = []
        if item.indicator not in catalogue:
            problems.append(
                _("Indicator %(code)s is not in catalogue %(version)s.")
                % {"code": item.indicator, "version": catalogue.version}
            )
        if item.indicator in seen:
            problems.append(_("Indicator %(code)s is ticked twice.") % {"code": item.indicator})
        if item.source not in set(EvidenceSource):
            problems.append(
                _("Choose where indicator %(code)s comes from.") % {"code": item.indicator}
            )
        if len(item.note) > NOTE_MAX_LENGTH:
            problems.append(
                _("The note on indicator %(code)s is longer than %(max)s characters.")
                % {"code": item.indicator, "max": NOTE_MAX_LENGTH}
            )
        seen.add(item.indicator)
        if problems:
            errors[item.indicator] = problems
    return errors


def _profile_errors(catalogue: Catalogue, profile: ProfileInput) -> dict[str, list[str]]:
    form = profile.exploitation_form
    if form not in set(Form):
        return {"exploitation_form": [_("Choose a form of exploitation.")]}
    if not catalogue.rates(Form(form)):
        # An open session keeps the release it started with; an older one lacks newer forms.
        message = _("Catalogue %(version)s has no strengths for this form: choose another.")
        return {"exploitation_form": [message % {"version": catalogue.version}]}
    return {}


def _store_assessment(
    session: ScreeningSession, assessment: Assessment, facts: PersonFacts
) -> None:
    session.assessment = assessment_to_dict(assessment)
    session.recommendation = assessment.recommendation.value
    session.person_age = facts.age
    session.age_disputed = facts.age_disputed
    session.suspected_of_offence = facts.suspected_of_offence


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def start_session(*, actor: Actor, person: Person, setup: SessionSetup) -> ScreeningSession:
    """Start a screening of ``person`` with the latest catalogue release.

    Needs ``screening.session:create`` and the person in the actor's scope. The first
    assessment (no indicators yet) is stored at once, so a session always has one.
    Raises InvalidInput naming each bad field, NotAllowed.
    """
    _require(actor, CREATE)
    _check_person_visible(actor, person)
    catalogue = latest_catalogue()
    errors = _setup_errors(setup, prompt_languages(catalogue.version))
    if errors:
        raise InvalidInput(errors)
    # The person's row lock serialises with the purge (retention.services): a purge batch that
    # locked the record first anonymises it before this session exists; one that waits sees the
    # open session and keeps the case.
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True))
    session = ScreeningSession(
        person=person,
        screener=actor.user,
        organisation=actor.organisation,
        stage=setup.stage,
        interview_language=setup.interview_language,
        prompt_language=setup.prompt_language,
        officer_language=setup.officer_language,
        interpreter_used=setup.interpreter_used,
        interpreter_name=setup.interpreter_name.strip(),
        age_group=AgeGroup.CHILD if setup.treat_as_child else AgeGroup.ADULT,
        exploitation_form=setup.exploitation_form,
        catalogue_version=catalogue.version,
    )
    facts = person_facts(
        person, today=timezone.localdate(), suspected_of_offence=setup.suspected_of_offence
    )
    profile = ProfileInput(
        setup.exploitation_form, setup.treat_as_child, setup.suspected_of_offence
    )
    assessment = assess(
        catalogue=catalogue, session=session, observations=[], profile=profile, facts=facts
    )
    _store_assessment(session, assessment, facts)
    session.save()
    log_event(
        "screening.started",
        obj=session,
        details={"person": person.pk, "stage": session.stage, "catalogue": catalogue.version},
    )
    return session


@transaction.atomic
def set_observations(
    *,
    actor: Actor,
    session: ScreeningSession,
    observations: Sequence[ObservationInput],
    profile: ProfileInput,
    version: int | None,
) -> ScreeningSession:
    """Replace the session's recorded indicators and recompute the assessment.

    Only the screener, while the session is open. Codes are checked against the catalogue
    version the session started with; the person facts are read afresh (an age recorded as
    disputed meanwhile makes the profile a child's, I4). Raises InvalidInput (keys: indicator
    codes or field names), NotAllowed, AlreadyDecided, ConcurrentEdit.
    """
    current = _lock(session)
    _check_editable(actor, current, version)
    catalogue = session_catalogue(current)
    errors = {
        **_profile_errors(catalogue, profile),
        **_observation_errors(catalogue, observations),
    }
    if errors:
        raise InvalidInput(errors)
    facts = person_facts(
        current.person,
        today=timezone.localdate(),
        suspected_of_offence=profile.suspected_of_offence,
    )
    assessment = assess(
        catalogue=catalogue,
        session=current,
        observations=observations,
        profile=profile,
        facts=facts,
    )
    current.observations.all().delete()
    ScreeningObservation.objects.bulk_create(
        ScreeningObservation(
            session=current,
            indicator=item.indicator,
            source=item.source,
            stage=current.stage,
            note=item.note.strip(),
        )
        for item in observations
    )
    # The session is the record from now on; the draft it was typed in is done (issue 11).
    InterviewDraft.objects.filter(session=current).delete()
    current.age_group = AgeGroup.CHILD if profile.treat_as_child else AgeGroup.ADULT
    current.exploitation_form = profile.exploitation_form
    _store_assessment(current, assessment, facts)
    current.version += 1
    current.save()
    log_event(
        "screening.observations_recorded",
        obj=current,
        details={
            "person": current.person_id,
            "indicators": sorted(item.indicator for item in observations),
            "recommendation": current.recommendation,
            "version": current.version,
        },
    )
    return current


@transaction.atomic
def record_decision(
    *,
    actor: Actor,
    session: ScreeningSession,
    decision: str,
    reason: str,
    version: int | None,
    orphans_court: Organisation | None = None,
) -> ScreeningSession:
    """Record the screener's decision with a reason (I2) and close the session.

    Only the screener, while the session is open; the assessment stays as computed. A decision
    to raise a suspicion hands over to the referral flow in the same transaction, so the removal
    is held at once (I1) or nothing is saved; ``orphans_court`` is the court to notify about a
    child when there is more than one. Raises InvalidInput, NotAllowed, AlreadyDecided,
    ConcurrentEdit, ServiceError (the referral flow refused).
    """
    current = _lock(session)
    _check_editable(actor, current, version)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Choose a decision.")]
    if not reason:
        errors["reason"] = [_("Write the reason for your decision.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("The reason is too long.")]
    if errors:
        raise InvalidInput(errors)
    InterviewDraft.objects.filter(session=current).delete()
    current.decision = decision
    current.decision_reason = reason
    current.decided_by = actor.user
    current.completed_at = timezone.now()
    current.version += 1
    current.save()
    details: dict[str, object] = {
        "person": current.person_id,
        "decision": decision,
        "recommendation": current.recommendation,
        "follows_advice": follows_advice(current.recommendation, decision),
    }
    if decision == Decision.RAISE_SUSPICION:
        details["suspicion"] = hooks.suspicion_decided(
            actor=actor, session=current, reason=reason, orphans_court=orphans_court
        )
    log_event("screening.decided", obj=current, details=details)
    # What the decision asks of other apps (the case officer asked to defer the person, the
    # labour inspectorate's notice): their listeners, in this transaction (screening.hooks).
    hooks.screening_decided(current, actor)
    return current


# What each decision does about each recommendation: the decision "follows" the advice when it
# is at least as protective. Used for the audit trail and the monitors' panel, never as a gate.
_DECISION_RANK = {
    Decision.NO_ACTION: 0,
    Decision.RESCREEN: 1,
    Decision.LABOUR_INSPECTORATE: 2,
    Decision.INTERVIEW_BEFORE_DEPARTURE: 3,
    Decision.RAISE_SUSPICION: 4,
}
_RECOMMENDATION_RANK = {
    "no_action": 0,
    "rescreen_next_stage": 1,
    "labour_inspectorate_and_rescreen": 2,
    "interview_before_departure": 3,
    "refer_for_identification": 4,
    "child_protection_referral": 4,
}


def follows_advice(recommendation: str, decision: str) -> bool:
    """True when the decision is at least as protective as the recommendation."""
    return _DECISION_RANK.get(Decision(decision), 0) >= _RECOMMENDATION_RANK.get(recommendation, 4)
