"""Writes of training: start a practice attempt, ask a question, save the form, complete the
attempt with its feedback, author a scenario version, issue the certificate.

Every function is keyword-only, checks the actor's permission and that the attempt is their
own, writes under ``transaction.atomic`` and appends an audit event with codes and ids only
(I7). Nothing here touches case data: a decision to "raise a suspicion" in training is an
answer to be marked, never a call to the referral flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, NotAllowed, ServiceError
from atpazit.screening.catalogue import Form, get_catalogue
from atpazit.screening.engine import EvidenceSource, assessment_to_dict
from atpazit.screening.models import Decision
from atpazit.screening.reasons import RECOMMENDATION_LABELS
from atpazit.screening.services import ObservationInput, ProfileInput
from atpazit.training import feedback, selectors
from atpazit.training.course import get_course
from atpazit.training.library import (
    Scenario,
    ScenarioError,
    model_assessment,
    parse_scenario,
    shipped_scenarios,
)
from atpazit.training.models import REASON_MAX_LENGTH, Attempt, AuthoredScenario, Certificate
from atpazit.training.selectors import AUTHOR, PRACTISE

# The form fields kept with an attempt (the screening form's own names); anything else dropped.
FORM_VALUE_MAX = 4000


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission) or actor.organisation is None:
        raise NotAllowed(_("You may not do this in your current organisation."))


def _lock_own_open(actor: Actor, attempt: Attempt, version: int | None) -> Attempt:
    _require(actor, PRACTISE)
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.trainee_id != actor.user.pk:
        raise NotAllowed(_("This is another trainee's attempt."))
    if not locked.is_open:
        raise ServiceError(_("This attempt is completed; start a new one."), code="completed")
    if version is not None and version != locked.version:
        raise ConcurrentEdit(
            _("This attempt was changed in another window. Nothing was saved: check and try again.")
        )
    return locked


def start_attempt(*, actor: Actor, scenario_id: str, module: str = "") -> Attempt:
    """Start practising the current version of a scenario, for a course module or freely."""
    _require(actor, PRACTISE)
    current = selectors.current_versions(actor.organisation).get(scenario_id)
    if current is None:
        raise InvalidInput({"scenario": [_("There is no such scenario.")]})
    scenario, authored = current
    if module:
        try:
            in_module = scenario_id in get_course().module(module).scenarios
        except KeyError:
            in_module = False
        if not in_module:
            raise InvalidInput({"module": [_("This scenario is not part of that module.")]})
    assert actor.organisation is not None
    with transaction.atomic():
        attempt = Attempt.objects.create(
            trainee=actor.user,
            organisation=actor.organisation,
            scenario_id=scenario.id,
            scenario_version=scenario.version,
            authored=authored,
            module=module,
            exploitation_form=Form.UNKNOWN.value,
        )
        log_event(
            "training.attempt_started",
            obj=attempt,
            details={"scenario": scenario.id, "version": scenario.version, "module": module},
        )
    return attempt


def ask_question(
    *,
    actor: Actor,
    attempt: Attempt,
    question_id: str,
    values: dict[str, Any] | None = None,
    version: int | None = None,
) -> Attempt:
    """Ask one of the questions open now; the reply is shown from then on. With ``values`` (the
    screening form as it is when the question is asked, at ``version``) the form is kept too, so
    asking never loses a tick."""
    with transaction.atomic():
        locked = _lock_own_open(actor, attempt, version if values is not None else None)
        scenario = selectors.attempt_scenario(locked)
        open_ids = [q.id for q in scenario.available_questions(tuple(locked.asked))]
        if question_id not in open_ids:
            raise InvalidInput({"question": [_("This question cannot be asked now.")]})
        locked.asked = [*locked.asked, question_id]
        fields = ["asked", "version"]
        if values is not None:
            locked.form_values = _clean_values(values)
            fields.append("form_values")
        locked.version += 1
        locked.save(update_fields=fields)
        log_event(
            "training.question_asked",
            obj=locked,
            details={"question": question_id, "prompt": scenario.question(question_id).prompt},
        )
    return locked


def _clean_values(values: dict[str, Any]) -> dict[str, str]:
    kept = {}
    for name, value in values.items():
        if name in ("csrfmiddlewaretoken", "action", "version", "question"):
            continue
        text = str(value)
        if len(text) > FORM_VALUE_MAX:
            raise InvalidInput({name: [_("This text is too long.")]})
        kept[name] = text
    return kept


def save_form(*, actor: Actor, attempt: Attempt, values: dict[str, Any], version: int) -> Attempt:
    """Keep the screening form as the trainee left it (the ticks are theirs until completed)."""
    with transaction.atomic():
        locked = _lock_own_open(actor, attempt, version)
        locked.form_values = _clean_values(values)
        locked.version += 1
        locked.save(update_fields=["form_values", "version"])
        log_event("training.form_saved", obj=locked, details={"fields": len(locked.form_values)})
    return locked


def _check_answer(
    observations: Sequence[ObservationInput], profile: ProfileInput, decision: str, reason: str
) -> None:
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Choose your decision.")]
    if not reason.strip():
        errors["reason"] = [_("Say why you decide as you do: a decision needs a reason.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("The reason is too long.")]
    if profile.exploitation_form not in {form.value for form in Form}:
        errors["exploitation_form"] = [_("Choose a form of exploitation.")]
    for item in observations:
        if item.source not in {source.value for source in EvidenceSource}:
            errors[item.indicator] = [_("Choose where you have this indicator from.")]
    if errors:
        raise InvalidInput(errors)


def complete_attempt(
    *,
    actor: Actor,
    attempt: Attempt,
    observations: Sequence[ObservationInput],
    profile: ProfileInput,
    decision: str,
    reason: str,
    values: dict[str, Any],
    version: int,
) -> Attempt:
    """Record the trainee's ticks and decision, assess the ticks with the real engine and mark
    them against the model answer. The attempt is then final."""
    _check_answer(observations, profile, decision, reason)
    with transaction.atomic():
        locked = _lock_own_open(actor, attempt, version)
        scenario = selectors.attempt_scenario(locked)
        catalogue = get_catalogue(scenario.catalogue)
        unknown = [o.indicator for o in observations if o.indicator not in catalogue]
        if unknown:
            raise InvalidInput({code: [_("Unknown indicator.")] for code in unknown})
        assessment = feedback.trainee_assessment(scenario, observations, profile)
        marked = feedback.result(scenario, [o.indicator for o in observations], decision)
        locked.form_values = _clean_values(values)
        locked.indicators = [o.indicator for o in observations]
        locked.exploitation_form = profile.exploitation_form
        locked.treat_as_child = profile.treat_as_child
        locked.decision = decision
        locked.reason = reason.strip()
        locked.assessment = assessment_to_dict(assessment)
        locked.found, locked.missed = list(marked.found), list(marked.missed)
        locked.extra = list(marked.extra)
        locked.decision_correct = marked.decision_correct
        locked.score = marked.score
        locked.completed_at = timezone.now()
        locked.version += 1
        locked.save()
        log_event(
            "training.attempt_completed",
            obj=locked,
            details={
                "scenario": scenario.id,
                "score": marked.score,
                "decision": decision,
                "decision_correct": marked.decision_correct,
                "missed": list(marked.missed),
            },
        )
    return locked


def _problems_by_field(problems: Sequence[str]) -> dict[str, list[str]]:
    """``["title.ru: must not be empty"]`` -> ``{"title.ru": ["title.ru: must not be empty"]}``:
    each problem keyed by the field it names (the message keeps the name, for the YAML form)."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        where, sep, _message = problem.partition(": ")
        errors.setdefault(where if sep else "scenario", []).append(problem)
    return errors


def engine_disagreement(scenario: Scenario) -> str | None:
    """What the trainer is told when the engine advises otherwise than the model answer."""
    assessment = model_assessment(scenario)
    if assessment.recommendation == scenario.model_answer.recommendation:
        return None
    return _(
        "The engine recommends “%(engine)s” for these indicators, not “%(model)s” (rules "
        "%(rules)s). Its reasons are shown below: change the model answer or the indicators."
    ) % {
        "engine": _(RECOMMENDATION_LABELS[assessment.recommendation]),
        "model": _(RECOMMENDATION_LABELS[scenario.model_answer.recommendation]),
        "rules": ", ".join(assessment.fired_rules) or "—",
    }


def author_scenario(*, actor: Actor, data: Any) -> AuthoredScenario:
    """Store a trainer's scenario as a new version, validated by the library's schema and
    checked against the engine: a model answer the engine disagrees with is refused. Errors
    are keyed by the field they name (``title.ru``, ``model_answer.recommendation``)."""
    _require(actor, AUTHOR)
    try:
        scenario = parse_scenario(data, origin="scenario")
    except ScenarioError as exc:
        raise InvalidInput(_problems_by_field(exc.problems)) from None
    disagreement = engine_disagreement(scenario)
    if disagreement is not None:
        raise InvalidInput({"model_answer.recommendation": [disagreement]})
    assert actor.organisation is not None
    with transaction.atomic():
        # Versions are counted per organisation: another organisation's are never seen.
        stored = AuthoredScenario.objects.select_for_update().filter(
            organisation=actor.organisation, scenario_id=scenario.id
        )
        newest = max([row.version for row in stored], default=0)
        shipped = {s.id: s.version for s in shipped_scenarios()}.get(scenario.id, 0)
        expected = max(newest, shipped) + 1
        if scenario.version == 1 and expected > 1:
            raise InvalidInput(
                {
                    "id": [
                        _("There is already a scenario %(id)s: write its next version instead.")
                        % {"id": scenario.id}
                    ]
                }
            )
        if scenario.version != expected:
            raise InvalidInput(
                {
                    "version": [
                        _(
                            "This would be version %(expected)s of %(id)s, not %(given)s: "
                            "someone saved a version meanwhile. Open the newest and edit it."
                        )
                        % {"expected": expected, "id": scenario.id, "given": scenario.version}
                    ]
                }
            )
        assert actor.organisation is not None
        row = AuthoredScenario.objects.create(
            scenario_id=scenario.id,
            version=scenario.version,
            data=scenario.model_dump(mode="json", exclude_defaults=False),
            author=actor.user,
            organisation=actor.organisation,
        )
        log_event(
            "training.scenario_authored",
            obj=row,
            details={"scenario": scenario.id, "version": scenario.version},
        )
    return row


def issue_certificate(*, actor: Actor) -> Certificate:
    """The trainee's certificate, issued once every module is passed (then the same one)."""
    _require(actor, PRACTISE)
    with transaction.atomic():
        existing = Certificate.objects.filter(trainee=actor.user).first()
        if existing is not None:
            return existing
        progress = selectors.progress_of(actor.user, actor.organisation)
        if not progress.completed:
            raise ServiceError(
                _("The certificate is issued when every module is passed."), code="not_completed"
            )
        assert actor.organisation is not None
        now = timezone.now()
        certificate = Certificate.objects.create(
            trainee=actor.user,
            organisation=actor.organisation,
            number=f"pending-{actor.user.pk}",
            issued_at=now,
            scores={m.module.code: m.score for m in progress.modules},
        )
        certificate.number = f"AT-MAC-{now.year}-{certificate.pk:05d}"
        certificate.save(update_fields=["number"])
        log_event("training.certificate_issued", obj=certificate, details={"course": 1})
    return certificate
