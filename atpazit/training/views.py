"""Training pages: the course and its modules, practising a scenario with the screening form,
feedback, progress and certificate; for trainers the cohort and scenario authoring.

Every page says it is training (``training/base.html``). Views parse input, call a selector or a
service, and render; an attempt that is not the actor's own is a 404.
"""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.services import log_event
from atpazit.lib.errors import InvalidInput, ServiceError
from atpazit.lib.forms import add_service_error, service_errors
from atpazit.lib.person_languages import direction
from atpazit.screening.catalogue import Dimension, Stage, get_catalogue, latest_catalogue
from atpazit.screening.engine import assessment_from_dict
from atpazit.screening.forms import InterviewForm, indicator_groups, preview_input
from atpazit.screening.models import PROMPT_LANGUAGES, Decision
from atpazit.screening.reasons import DIMENSION_LABELS, label
from atpazit.screening.selectors import assessment_view
from atpazit.training import feedback, selectors, services
from atpazit.training.course import get_course
from atpazit.training.forms import (
    MAX_QUESTION_ROWS,
    AskForm,
    BaseQuestionFormSet,
    QuestionForm,
    QuestionFormSet,
    ScenarioForm,
    ScenarioTextForm,
    initial_of,
    scenario_data,
)
from atpazit.training.library import (
    Scenario,
    ScenarioError,
    model_answer_problems,
    model_assessment,
    parse_scenario,
)
from atpazit.training.models import Attempt
from atpazit.training.pdf import CertificateError, certificate_pdf
from atpazit.training.selectors import AUTHOR, COHORT, PRACTISE

LANGUAGE_LABELS = dict(PROMPT_LANGUAGES)


def _lang() -> str:
    language = (get_language() or "lv").split("-")[0]
    return language if language in ("lv", "en", "ru") else "lv"


def _common(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(request)
    return {
        "lang": _lang(),
        "course": get_course(),
        "can_cohort": actor.can(COHORT),
        "can_author": actor.can(AUTHOR),
    }


# --- the course -------------------------------------------------------------------------------


@requires(PRACTISE)
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    """The course: its modules with the trainee's progress, and the way to the library."""
    progress = selectors.my_progress(actor_for(request))
    return render(request, "training/home.html", {**_common(request), "progress": progress})


@requires(PRACTISE)
@require_GET
def module_view(request: HttpRequest, code: str) -> HttpResponse:
    """A module's lesson, then its scenarios with what the trainee has done in each."""
    progress = selectors.my_progress(actor_for(request))
    found = next((m for m in progress.modules if m.module.code == code), None)
    if found is None:
        raise Http404
    return render(request, "training/module.html", {**_common(request), "entry": found})


@requires(PRACTISE)
@require_GET
def library_view(request: HttpRequest) -> HttpResponse:
    """Every scenario, to practise freely (not counted in a module's score)."""
    scenarios = list(selectors.current_scenarios(actor_for(request).organisation).values())
    return render(request, "training/library.html", {**_common(request), "scenarios": scenarios})


@requires(PRACTISE)
@require_POST
def start_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    module = request.POST.get("module", "")
    try:
        attempt = services.start_attempt(
            actor=actor, scenario_id=request.POST.get("scenario", ""), module=module
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("training:module", code=module) if module else redirect("training:library")
    return redirect("training:attempt", pk=attempt.pk)


# --- practising one scenario --------------------------------------------------------------------


class _Subject:
    """What the screening form reads of an attempt: its version and the scenario's stage."""

    def __init__(self, attempt: Attempt, scenario: Scenario) -> None:
        self.version = attempt.version
        self.stage = scenario.stage.value


def _transcript(scenario: Scenario, attempt: Attempt, lang: str) -> list[dict[str, str]]:
    catalogue = get_catalogue(scenario.catalogue)
    rows = []
    for question_id in attempt.asked:
        question = scenario.question(question_id)
        prompt = catalogue.indicator(question.indicator).prompts[question.prompt_index]
        rows.append(
            {"question": prompt.in_language(lang), "reply": question.reply.in_language(lang)}
        )
    return rows


def _open_questions(scenario: Scenario, attempt: Attempt, lang: str) -> list[dict[str, str]]:
    catalogue = get_catalogue(scenario.catalogue)
    return [
        {
            "id": q.id,
            "text": catalogue.indicator(q.indicator).prompts[q.prompt_index].in_language(lang),
        }
        for q in scenario.available_questions(tuple(attempt.asked))
    ]


def _attempt_context(
    request: HttpRequest, attempt: Attempt, scenario: Scenario, form: InterviewForm
) -> dict[str, Any]:
    lang = _lang()
    person_language = "en" if lang == "ru" else "ru"
    # The advice shown is the engine's on the ticks as submitted, or as last kept.
    values = form.data if form.is_bound else attempt.form_values
    observations, profile = preview_input(values, form.catalogue)
    advice = feedback.trainee_assessment(scenario, observations, profile)
    return {
        **_common(request),
        "attempt": attempt,
        "scenario": scenario,
        "form": form,
        "transcript": _transcript(scenario, attempt, lang),
        "open_questions": _open_questions(scenario, attempt, lang),
        "questions_left": max(0, scenario.max_questions - len(attempt.asked)),
        "groups": indicator_groups(form, person_language=person_language, officer_language=lang),
        "person_language": person_language,
        "person_dir": direction(person_language),
        "officer_language": lang,
        "person_language_label": LANGUAGE_LABELS[person_language],
        "officer_language_label": LANGUAGE_LABELS[lang],
        "view": assessment_view(advice, lang),
        "last_stage": scenario.stage
        in {Stage.PRE_DEPARTURE, Stage.TRANSFER, Stage.IN_FLIGHT, Stage.HANDOVER},
    }


@requires(PRACTISE)
@require_http_methods(["GET", "POST"])
def attempt_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The scenario, the questions asked so far, and the screening form with the decision.
    "Save" keeps the form and shows the engine's advice; "Record the decision" completes it."""
    actor = actor_for(request)
    attempt = selectors.get_attempt_for_user(actor, pk)
    if not attempt.is_open:
        return redirect("training:feedback", pk=attempt.pk)
    scenario = selectors.attempt_scenario(attempt)
    catalogue = get_catalogue(scenario.catalogue)
    form = InterviewForm(
        request.POST or None,
        catalogue=catalogue,
        session=_Subject(attempt, scenario),
        draft=attempt.form_values,
    )
    if request.method == "POST" and form.is_valid():
        outcome = _save_attempt(request, actor, attempt, form)
        if outcome is not None:
            return outcome
    return render(
        request, "training/attempt.html", _attempt_context(request, attempt, scenario, form)
    )


def _save_attempt(
    request: HttpRequest, actor: Any, attempt: Attempt, form: InterviewForm
) -> HttpResponse | None:
    values = {k: v for k, v in request.POST.items()}
    version = form.cleaned_data.get("version") or 0
    try:
        if request.POST.get("action") == "decide":
            services.complete_attempt(
                actor=actor,
                attempt=attempt,
                observations=form.observations(),
                profile=form.profile(),
                decision=form.cleaned_data.get("decision") or "",
                reason=form.cleaned_data.get("reason") or "",
                values=values,
                version=version,
            )
            messages.success(request, _("Your answer is recorded. Here is the feedback."))
            return redirect("training:feedback", pk=attempt.pk)
        services.save_form(actor=actor, attempt=attempt, values=values, version=version)
    except ServiceError as exc:
        add_service_error(form, exc)
        return None
    messages.success(request, _("Your ticks are kept and the advice is updated."))
    return redirect("training:attempt", pk=attempt.pk)


@requires(PRACTISE)
@require_POST
def ask_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a question. The question buttons submit the screening form as well, so what the
    trainee ticked so far is kept with the question."""
    actor = actor_for(request)
    attempt = selectors.get_attempt_for_user(actor, pk)
    form = AskForm(request.POST)
    with_form = "version" in request.POST
    try:
        if not form.is_valid():
            raise ServiceError(_("Choose a question."))
        services.ask_question(
            actor=actor,
            attempt=attempt,
            question_id=form.cleaned_data["question"],
            values=dict(request.POST.items()) if with_form else None,
            version=_int(request.POST.get("version")) if with_form else None,
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(f"{_attempt_url(attempt)}#transcript")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _attempt_url(attempt: Attempt) -> str:
    from django.urls import reverse

    return reverse("training:attempt", kwargs={"pk": attempt.pk})


@requires(PRACTISE)
@require_GET
def feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What was found and missed, the decision against the model answer, and why."""
    actor = actor_for(request)
    attempt = selectors.get_attempt_for_user(actor, pk)
    if attempt.is_open:
        return redirect("training:attempt", pk=attempt.pk)
    scenario = selectors.attempt_scenario(attempt)
    lang = _lang()
    catalogue = get_catalogue(scenario.catalogue)

    def text_of(code: str) -> str:
        return catalogue.indicator(code).text.in_language(lang) if code in catalogue else code

    def prompt_of(question: Any) -> str:
        prompts = catalogue.indicator(question.indicator).prompts
        return prompts[question.prompt_index].in_language(lang)

    missed = [
        {
            "code": item.code,
            "text": text_of(item.code),
            "observed": item.observed,
            "questions": [prompt_of(q) for q in item.questions],
            "asked": [prompt_of(q) for q in item.asked],
        }
        for item in feedback.missed_details(scenario, attempt.missed, attempt.asked)
    ]
    context = {
        **_common(request),
        "attempt": attempt,
        "scenario": scenario,
        "found": [{"code": c, "text": text_of(c)} for c in attempt.found],
        "missed": missed,
        "extra": [{"code": c, "text": text_of(c)} for c in attempt.extra],
        "decision_label": Decision(attempt.decision).label,
        "model_decision_label": scenario.model_answer.decision.label,
        "model_view": assessment_view(model_assessment(scenario), lang),
        "own_view": assessment_view(assessment_from_dict(attempt.assessment or {}), lang)
        if attempt.assessment
        else None,
        "transcript": _transcript(scenario, attempt, lang),
    }
    return render(request, "training/feedback.html", context)


# --- progress and certificate -------------------------------------------------------------------


@requires(PRACTISE)
@require_GET
def progress_view(request: HttpRequest) -> HttpResponse:
    progress = selectors.my_progress(actor_for(request))
    return render(request, "training/progress.html", {**_common(request), "progress": progress})


@requires(PRACTISE)
@require_POST
def certificate_issue_view(request: HttpRequest) -> HttpResponse:
    try:
        services.issue_certificate(actor=actor_for(request))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your certificate is issued."))
    return redirect("training:progress")


@requires(PRACTISE)
@require_GET
def certificate_pdf_view(request: HttpRequest) -> HttpResponse:
    """The certificate as a PDF, in Latvian or English (``?lang=en``)."""
    progress = selectors.my_progress(actor_for(request))
    if progress.certificate is None:
        messages.error(request, _("The certificate is issued when every module is passed."))
        return redirect("training:progress")
    language = request.GET.get("lang", "lv")
    if language not in ("lv", "en"):
        language = "lv"
    try:
        pdf = certificate_pdf(progress.certificate, language=language)
    except CertificateError:
        messages.error(
            request, _("The certificate could not be built; tell the system administrator.")
        )
        return redirect("training:progress")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"atpazit-certificate-{progress.certificate.number}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- trainers -------------------------------------------------------------------------------


@requires(COHORT)
@require_GET
def cohort_view(request: HttpRequest) -> HttpResponse:
    """The trainees of the trainer's organisation, their module scores, the most missed
    indicators."""
    actor = actor_for(request)
    cohort = selectors.cohort_of(actor)
    log_event("training_cohort.listed", details={"shown": len(cohort.trainees)})
    lang = _lang()
    catalogue = get_catalogue("2026.2")
    missed = [
        {
            "code": code,
            "count": count,
            "text": catalogue.indicator(code).text.in_language(lang) if code in catalogue else code,
        }
        for code, count in cohort.missed
    ]
    return render(
        request, "training/cohort.html", {**_common(request), "cohort": cohort, "missed": missed}
    )


@requires(AUTHOR)
@require_GET
def scenario_list_view(request: HttpRequest) -> HttpResponse:
    """The library as a trainer sees it: versions, where each comes from, and whether its
    model answer still agrees with the engine."""
    rows = [
        {"scenario": s, "problems": model_answer_problems(s)}
        for s in selectors.current_scenarios(actor_for(request).organisation).values()
    ]
    authored = selectors.authored_versions(actor_for(request))[:50]
    return render(
        request,
        "training/scenario_list.html",
        {**_common(request), "rows": rows, "authored": authored},
    )


def _yaml_of(scenario: Scenario, *, next_version: bool) -> str:
    data = scenario.model_dump(mode="json")
    if next_version:
        data["version"] = scenario.version + 1
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _saved(request: HttpRequest, row: Any) -> HttpResponse:
    messages.success(
        request,
        _("Version %(version)s of %(id)s is saved and is practised from now on.")
        % {"version": row.version, "id": row.scenario_id},
    )
    return redirect("training:scenarios")


def _author_yaml(request: HttpRequest, initial: str, scenario: Scenario | None) -> HttpResponse:
    """The advanced way: the scenario as YAML, in the format of the shipped files."""
    actor = actor_for(request)
    form = ScenarioTextForm(request.POST or None, initial={"text": initial})
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as call:
            try:
                row = services.author_scenario(actor=actor, data=form.cleaned_data["text"])
            except ServiceError as exc:
                # Every problem names its field in the message: all go on the text.
                raise InvalidInput(
                    {"text": [m for ms in exc.errors.values() for m in ms] or [str(exc)]}
                ) from None
        if call.ok:
            return _saved(request, row)
    return render(
        request,
        "training/scenario_yaml.html",
        {**_common(request), "form": form, "scenario": scenario},
    )


def _posted_initial(form: Any, data: Any) -> dict[str, Any]:
    """What ``data`` holds for each field of ``form``, as initial values (no validation)."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


def _indicator_groups(catalogue: Any, form: ScenarioForm, lang: str) -> list[dict[str, Any]]:
    """The catalogue's indicators grouped by dimension as the screening form groups them, each
    with whether the officer sees it without asking and whether the model answer has it."""
    observed = set(form["observed_indicators"].value() or [])
    model = set(form["model_indicators"].value() or [])
    index = {indicator.code: n for n, indicator in enumerate(catalogue)}
    groups = []
    for dimension in Dimension:
        items = [
            {
                "code": indicator.code,
                "index": index[indicator.code],
                "text": indicator.text.in_language(lang),
                "observed": indicator.code in observed,
                "model": indicator.code in model,
            }
            for indicator in catalogue
            if indicator.dimension is dimension
        ]
        if items:
            groups.append(
                {
                    "label": label(DIMENSION_LABELS, dimension, lang),
                    "items": items,
                    "ticked": sum(1 for item in items if item["model"] or item["observed"]),
                }
            )
    return groups


def _put_problems(form: ScenarioForm, questions: Any, exc: ServiceError) -> None:
    """Each problem of the service on the field it names, a question's on its row."""
    kept = questions.kept_forms()
    for key, problems in exc.errors.items():
        head, _sep, rest = key.partition(".")
        if head == "questions":
            ref, _sep, sub = rest.partition(".")
            number = ref[1:] if ref.startswith("q") else ref.strip("[]")
            row = (
                kept[int(number) - 1] if number.isdigit() and 0 < int(number) <= len(kept) else None
            )
            field = {"prompt": "prompt", "reveals": "reveals", "unlocks": "after"}.get(sub)
            if sub.startswith("reply."):
                field = f"reply_{sub.partition('.')[2]}"
            if row is not None:
                for problem in problems:
                    row.add_error(field if field in row.fields else None, problem)
                form.add_error(
                    None,
                    _("Question no. %(number)s: %(problem)s")
                    % {"number": kept.index(row) + 1, "problem": problems[0]},
                )
                continue
        if head == "start":
            key = "start"
        name = form.field_for_error(key)
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _summarise_rows(form: ScenarioForm, questions: Any) -> None:
    """A question row's errors also on the form, so the page's error summary lists them."""
    for number, row in enumerate(questions.forms, start=1):
        for name, problems in row.errors.items():
            field = row.fields.get(name)
            where = f"{field.label}: " if field is not None and field.label else ""
            for problem in problems:
                form.add_error(
                    None,
                    _("Question no. %(number)s: %(problem)s")
                    % {"number": number, "problem": f"{where}{problem}"},
                )
    for problem in questions.non_form_errors():
        form.add_error(None, problem)


def _engine_view(data: dict[str, Any], lang: str) -> Any:
    """The engine's advice on a model answer it disagrees with, to show with the refusal."""
    try:
        scenario = parse_scenario(data, origin="scenario")
    except ScenarioError:
        return None
    if services.engine_disagreement(scenario) is None:
        return None
    return assessment_view(model_assessment(scenario), lang)


def _yaml_initial(request: HttpRequest, scenario: Scenario | None) -> str:
    if scenario is not None:
        return _yaml_of(scenario, next_version=True)
    template = next(iter(selectors.current_scenarios(actor_for(request).organisation).values()))
    data = template.model_dump(mode="json")
    data.update(id="new-scenario", version=1)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _more_rows(
    request: HttpRequest, options: dict[str, Any], row_options: dict[str, Any]
) -> tuple[ScenarioForm, Any]:
    """The form as posted with more empty question rows (nothing checked, nothing saved)."""
    posted = ScenarioForm(**options)
    form = ScenarioForm(initial=_posted_initial(posted, request.POST), **options)
    management = QuestionFormSet(request.POST, prefix="questions", form_kwargs=row_options)
    rows = []
    if management.management_form.is_valid():
        for row in management.forms:
            values = _posted_initial(row, request.POST)
            if any(v for k, v in values.items() if k != "DELETE") and not values.get("DELETE"):
                rows.append(values)
    return form, _question_formset(rows, row_options, extra=QUESTION_ROWS_MORE)


def _starting_form(
    actor: Any, scenario: Scenario | None, options: dict[str, Any], row_options: dict[str, Any]
) -> tuple[ScenarioForm, Any]:
    """An empty form for a new scenario, or the current version's values for the next one."""
    rows: list[dict[str, Any]] = []
    if scenario is None:
        form = ScenarioForm(initial={"version": 1, "max_questions": 3}, **options)
    else:
        version = selectors.next_version(actor.organisation, scenario.id)
        values, rows = initial_of(scenario, version=version)
        form = ScenarioForm(initial=values, **options)
    return form, _question_formset(rows, row_options, extra=QUESTION_ROWS_EMPTY)


def _author(request: HttpRequest, scenario: Scenario | None) -> HttpResponse:
    """The structured authoring form: the scenario's fields, its questions, its model answer."""
    if request.GET.get("format") == "yaml" or "text" in request.POST:
        return _author_yaml(request, _yaml_initial(request, scenario), scenario)
    actor = actor_for(request)
    lang = _lang()
    catalogue = get_catalogue(scenario.catalogue) if scenario else latest_catalogue()
    options: dict[str, Any] = {
        "catalogue": catalogue,
        "fixed_id": scenario.id if scenario else None,
    }
    row_options: dict[str, Any] = {"catalogue": catalogue, "lang": lang}
    engine_view = None
    if request.method == "POST" and request.POST.get("action") == "more":
        form, questions = _more_rows(request, options, row_options)
    elif request.method == "POST":
        form = ScenarioForm(request.POST, **options)
        questions = QuestionFormSet(request.POST, prefix="questions", form_kwargs=row_options)
        form_ok, questions_ok = form.is_valid(), questions.is_valid()
        if not questions_ok:
            _summarise_rows(form, questions)
        if form_ok and questions_ok:
            data = scenario_data(form, questions)
            try:
                row = services.author_scenario(actor=actor, data=data)
            except ServiceError as exc:
                _put_problems(form, questions, exc)
                engine_view = _engine_view(data, lang)
            else:
                return _saved(request, row)
    else:
        form, questions = _starting_form(actor, scenario, options, row_options)
    return render(
        request,
        "training/scenario_form.html",
        {
            **_common(request),
            "form": form,
            "questions": questions,
            "scenario": scenario,
            "groups": _indicator_groups(catalogue, form, lang),
            "engine_view": engine_view,
            "catalogue": catalogue,
        },
    )


QUESTION_ROWS_EMPTY = 2
QUESTION_ROWS_MORE = 3


def _question_formset(rows: list[dict[str, Any]], options: dict[str, Any], *, extra: int) -> Any:
    formset_class = forms.formset_factory(
        QuestionForm,
        formset=BaseQuestionFormSet,
        extra=extra,
        min_num=0,
        max_num=MAX_QUESTION_ROWS,
        absolute_max=MAX_QUESTION_ROWS,
        can_delete=True,
    )
    return formset_class(initial=rows, prefix="questions", form_kwargs=options)


@requires(AUTHOR)
@require_http_methods(["GET", "POST"])
def scenario_new_view(request: HttpRequest) -> HttpResponse:
    """A new scenario, written in the structured form (or, advanced, as YAML)."""
    return _author(request, None)


@requires(AUTHOR)
@require_http_methods(["GET", "POST"])
def scenario_edit_view(request: HttpRequest, scenario_id: str) -> HttpResponse:
    """The next version of a scenario, starting from the current one."""
    return _author(request, selectors.get_current_scenario(actor_for(request), scenario_id))
