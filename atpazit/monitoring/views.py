"""Forced-return monitoring pages: missions, stages with their checklist and observations, the
monitor's pre-departure view, and the requests to take a person off the manifest.

Views parse input, call a selector or a service and render. Missions come only through
``selectors.get_mission_for_user`` (404 outside scope); every page showing personal data is
audited by its selector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.audit.services import log_event
from atpazit.cases.rules import is_child
from atpazit.lib.errors import InvalidInput, ServiceError
from atpazit.lib.forms import add_service_error, run_service, run_service_telling
from atpazit.monitoring import checklists, indicators, selectors, services
from atpazit.monitoring.forms import (
    AnswerRequestForm,
    ChecklistForm,
    NewMissionForm,
    NotesForm,
    NoticeForm,
    ObservationForm,
    PlanForm,
    RemovalRequestForm,
    StageTimesForm,
    checklist_initial,
    plan_initial,
)
from atpazit.monitoring.models import (
    RECORDING_STATUSES,
    Mission,
    Observation,
    RemovalRequest,
    Stage,
)
from atpazit.referrals.forms import RaiseSuspicionForm
from atpazit.removals.countries import country_name
from atpazit.removals.presenters import manifest_table
from atpazit.removals.selectors import get_operation_for_user
from atpazit.screening.forms import SessionStartForm

READ = selectors.READ
PLAN = selectors.PLAN
RECORD = selectors.RECORD
ANSWER = selectors.ANSWER

# The screening stage a monitoring stage corresponds to (screening.catalogue.Stage).
SCREENING_STAGE = indicators.SCREENING_STAGE


def _ui_language(request: HttpRequest) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "lv").split("-")[0]


# --- missions -------------------------------------------------------------------------------


@requires(READ)
def mission_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    missions = list(
        selectors.missions_visible_to(actor)
        .select_related("operation", "operation__organisation")
        .order_by("-operation__departure_at", "-pk")[:200]
    )
    log_event("missions.listed", details={"rows": len(missions)})
    unplanned = selectors.operations_to_plan(actor) if actor.can(PLAN) else []
    return render(
        request,
        "monitoring/mission_list.html",
        {"missions": missions, "can_plan": actor.can(PLAN), "unplanned": unplanned},
    )


@requires(PLAN)
@require_http_methods(["GET", "POST"])
def mission_plan_view(request: HttpRequest, operation_pk: int) -> HttpResponse:
    """The head of monitoring plans a mission for a removal operation."""
    actor = actor_for(request)
    operation = get_operation_for_user(actor, operation_pk)
    organisation = actor.organisation
    if organisation is None:
        raise Http404
    form = NewMissionForm(
        request.POST or None,
        organisation=organisation,
        initial={"stages": [Stage.PRE_DEPARTURE, Stage.TRANSFER, Stage.HANDOVER]},
    )
    created: list[Mission] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: created.append(
                services.plan_mission(
                    actor=actor,
                    operation=operation,
                    monitors=form.cleaned_data["monitors"],
                    stages=form.stage_plans(),
                    informed_at=form.cleaned_data.get("informed_at"),
                )
            ),
        )
    ):
        messages.success(request, _("The mission is planned. Announce it to the Border Guard."))
        return redirect("monitoring:mission_detail", pk=created[0].pk)
    return render(
        request,
        "monitoring/mission_plan.html",
        {"form": form, "operation": operation, "mission": None},
    )


@requires(READ)
def mission_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = selectors.get_mission_for_user(actor, pk)
    page = selectors.mission_page(actor, mission)
    checklist = checklists.load(mission.checklist_version) if page.internal else None
    return render(
        request,
        "monitoring/mission_detail.html",
        {
            "page": page,
            "mission": mission,
            "operation": mission.operation,
            "country": country_name(mission.operation.country_of_return),
            "checklist": checklist,
            "can_plan": selectors.may_plan(actor, mission) and mission.is_open,
            "can_record": selectors.is_assigned(actor, mission)
            and mission.status in RECORDING_STATUSES,
            "can_answer": selectors.may_answer(actor, mission),
            "editable": selectors.editable_observations(actor, mission),
            "published_reports": selectors.published_reports(mission),
            "notes_form": NotesForm(initial={"notes": mission.internal_notes})
            if page.internal
            else None,
        },
    )


@requires(RECORD)
@require_POST
def mission_notes_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = _recording(actor, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        run_service_telling(
            request,
            lambda: services.record_internal_notes(
                actor=actor,
                mission=mission,
                notes=form.cleaned_data["notes"],
                version=_version(request),
            ),
            success=_("The internal notes are saved."),
        )
    else:
        messages.error(request, _("The text is too long (at most 4000 characters)."))
    return redirect("monitoring:mission_detail", pk=mission.pk)


@requires(PLAN)
@require_http_methods(["GET", "POST"])
def mission_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = _planned(actor, pk)
    form = PlanForm(
        request.POST or None, organisation=mission.organisation, initial=plan_initial(mission)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.update_plan(
                actor=actor,
                mission=mission,
                monitors=form.cleaned_data["monitors"],
                stages=form.stage_plans(),
                version=_version(request),
            ),
        )
    ):
        messages.success(request, _("The plan is saved."))
        return redirect("monitoring:mission_detail", pk=mission.pk)
    return render(
        request,
        "monitoring/mission_plan.html",
        {"form": form, "operation": mission.operation, "mission": mission},
    )


def _planned(actor: Actor, pk: int) -> Mission:
    mission = selectors.get_mission_for_user(actor, pk)
    if not selectors.may_plan(actor, mission):
        raise Http404
    return mission


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@requires(PLAN)
@require_http_methods(["GET", "POST"])
def mission_notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = _planned(actor, pk)
    form = NoticeForm(request.POST or None, initial={"informed_at": mission.informed_at})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.record_notice(
                actor=actor,
                mission=mission,
                informed_at=form.cleaned_data["informed_at"],
                version=_version(request),
            ),
        )
    ):
        messages.success(request, _("The notice is recorded."))
        return redirect("monitoring:mission_detail", pk=mission.pk)
    return render(request, "monitoring/mission_notice.html", {"form": form, "mission": mission})


@requires(PLAN)
@require_POST
def mission_announce_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_button(
        request,
        _planned(actor_for(request), pk),
        services.announce_mission,
        _("The mission is announced to the Border Guard unit."),
    )


@requires(PLAN)
@require_POST
def mission_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_button(
        request,
        _planned(actor_for(request), pk),
        services.cancel_mission,
        _("The mission is cancelled."),
    )


@requires(RECORD)
@require_POST
def mission_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_button(
        request,
        _recording(actor_for(request), pk),
        services.complete_mission,
        _("The mission is completed."),
    )


def _mission_button(
    request: HttpRequest, mission: Mission, call: Callable[..., object], success: str
) -> HttpResponse:
    """A button on the mission page: the service with the version the page was shown at; its
    refusal, or ``success``, told as a message on the mission page."""
    actor = actor_for(request)
    run_service_telling(
        request,
        lambda: call(actor=actor, mission=mission, version=_version(request)),
        success=success,
    )
    return redirect("monitoring:mission_detail", pk=mission.pk)


# --- a stage: times, checklist, observations (the tablet page) -------------------------------


def _recording(actor: Actor, pk: int) -> Mission:
    mission = selectors.get_mission_for_user(actor, pk)
    if not selectors.may_read_internal(actor, mission):
        raise Http404
    return mission


@requires(RECORD)
@require_http_methods(["GET", "POST"])
def stage_view(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """One stage on a tablet: the quick observation form first, then the stage's times and the
    checklist. Each form posts on its own (``action``), so a half-filled checklist is never lost
    by recording an observation."""
    actor = actor_for(request)
    mission = _recording(actor, pk)
    row = selectors.get_stage_for_recording(actor, mission, stage)
    checklist = checklists.load(mission.checklist_version)
    items = checklist.for_stage(stage)
    answers = {answer.item_code: answer for answer in row.answers.all()}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    observation_form = ObservationForm(
        request.POST if action == "observation" else None, mission=mission, stage=stage
    )
    times_form = StageTimesForm(
        request.POST if action == "times" else None,
        initial={"actual_start": row.actual_start, "actual_end": row.actual_end},
    )
    checklist_form = ChecklistForm(
        request.POST if action == "checklist" else None,
        items=items,
        initial=checklist_initial(answers),
    )
    done = _stage_post(
        request, actor, mission, stage, action, observation_form, times_form, checklist_form
    )
    if done is not None:
        messages.success(request, done)
        return redirect("monitoring:stage", pk=mission.pk, stage=stage)
    automatic = [item for item in items if item.automatic]
    screening = selectors.screening_check(mission) if automatic else None
    context: dict[str, Any] = {
        "mission": mission,
        "row": row,
        "stage_label": Stage(stage).label,
        "observation_form": observation_form,
        "times_form": times_form,
        "checklist_form": checklist_form,
        "automatic": automatic,
        "automatic_answers": {item.code: answers.get(item.code) for item in automatic},
        "screening": screening,
        "observations": selectors.observations_at(actor, row, shown=True),
        "can_record": selectors.is_assigned(actor, mission)
        and mission.status in RECORDING_STATUSES,
        "editable": selectors.editable_observations(actor, mission),
        "other_stages": sorted(mission.stages.all(), key=lambda other: other.order),
    }
    return render(request, "monitoring/stage.html", context)


def _stage_post(
    request: HttpRequest,
    actor: Actor,
    mission: Mission,
    stage: str,
    action: str,
    observation_form: ObservationForm,
    times_form: StageTimesForm,
    checklist_form: ChecklistForm,
) -> str | None:
    """Run the one form the stage page posted; its success message, or None to show it again."""
    if action == "observation" and observation_form.is_valid():
        data = observation_form.cleaned_data
        recorded: list[Observation] = []
        call: Callable[[], object] = lambda: recorded.append(  # noqa: E731
            services.record_observation(
                actor=actor,
                mission=mission,
                stage=stage,
                category=data["category"],
                severity=data["severity"],
                text=data["text"],
                observed_at=data.get("observed_at"),
                person=data.get("person"),
                client_id=data.get("client_id"),
                indicator_codes=data.get("indicator_codes") or (),
            )
        )
        if not run_service(observation_form, call):
            return None
        if recorded[0].recommendation in indicators.ALERTING:
            return (
                _("The observation is recorded.") + " " + _("The escort leader was told at once.")
            )
        return _("The observation is recorded.")
    if action == "times" and times_form.is_valid():
        times = times_form.cleaned_data
        call = lambda: services.record_stage_times(  # noqa: E731
            actor=actor,
            mission=mission,
            stage=stage,
            actual_start=times.get("actual_start"),
            actual_end=times.get("actual_end"),
        )
        return _("The stage's times are recorded.") if run_service(times_form, call) else None
    if action == "checklist" and checklist_form.is_valid():
        call = lambda: services.answer_checklist(  # noqa: E731
            actor=actor, mission=mission, stage=stage, answers=checklist_form.answers()
        )
        return _("The checklist answers are saved.") if run_service(checklist_form, call) else None
    return None


def _sync_answer(status: str, http_status: int, message: str, **more: Any) -> JsonResponse:
    return JsonResponse({"status": status, "message": message, **more}, status=http_status)


def _messages(errors: Mapping[str, Sequence[Any]]) -> list[str]:
    return [str(message) for messages in errors.values() for message in messages]


@requires(RECORD)
@require_POST
def observation_sync_view(request: HttpRequest, pk: int, stage: str) -> JsonResponse:
    """The tablet's queue sends an observation recorded offline (issue 12 item 7, ADR 0020).

    The same fields as the stage page's form, and a ``client_id`` the device chose: a resend
    finds the first observation (``duplicate``, 200) instead of recording it twice (``saved``,
    201). A refusal the device cannot fix by sending again is a ``conflict`` (409: the mission
    was completed or cancelled, the stage taken off the mission); bad input is ``invalid``
    (422). Both keep the entry in the device's queue, with the message shown to the monitor."""
    actor = actor_for(request)
    mission = _recording(actor, pk)
    if stage not in Stage.values:
        raise Http404
    form = ObservationForm(request.POST, mission=mission, stage=stage)
    if not form.is_valid():
        return _sync_answer("invalid", 422, " ".join(_messages(form.errors)))
    data = form.cleaned_data
    client_id = data.get("client_id")
    if client_id is None:
        return _sync_answer("invalid", 422, _("The device sent no identifier for the entry."))
    sent_before = Observation.objects.filter(client_id=client_id).exists()
    try:
        observation = services.record_observation(
            actor=actor,
            mission=mission,
            stage=stage,
            category=data["category"],
            severity=data["severity"],
            text=data["text"],
            observed_at=data.get("observed_at"),
            person=data.get("person"),
            client_id=client_id,
            indicator_codes=data.get("indicator_codes") or (),
        )
    except InvalidInput as exc:
        status = ("conflict", 409) if exc.code == "stage" else ("invalid", 422)
        return _sync_answer(*status, " ".join(_messages(exc.errors)))
    except ServiceError as exc:
        return _sync_answer("conflict", 409, exc.message)
    if sent_before:
        return _sync_answer("duplicate", 200, _("Already recorded: it was not recorded twice."))
    alerted = observation.recommendation in indicators.ALERTING
    said = _("The observation is recorded.")
    if alerted:
        said += " " + _("The escort leader was told at once.")
    # Shown on the stage page the tablet reloads after sending.
    messages.success(request, said)
    return _sync_answer("saved", 201, said, alerted=alerted)


# --- the monitor's pre-departure view and requests to take a person off ---------------------


@requires(RECORD)
def pre_departure_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = _recording(actor, pk)
    view = selectors.monitor_pre_departure(actor, mission)
    may_ask = (
        selectors.is_assigned(actor, mission)
        and mission.status in RECORDING_STATUSES
        and mission.operation.manifest_is_open
    )
    rows = []
    for shown in manifest_table(mission.operation, view.check.rows):
        made = view.requests.get(shown.row.person.pk)
        pending = made is not None and made.status == RemovalRequest.Status.PENDING
        d9 = view.screening.by_person[shown.row.person.pk]
        rows.append((shown, d9, made, may_ask and not pending))
    return render(
        request,
        "monitoring/pre_departure.html",
        {
            "mission": mission,
            "operation": mission.operation,
            "check": view.check,
            "screening": view.screening,
            "rows": rows,
        },
    )


@requires(RECORD)
@require_http_methods(["GET", "POST"])
def removal_request_view(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = _recording(actor, pk)
    entry = mission.operation.manifest.filter(person_id=person_pk).select_related("person").first()
    if entry is None:
        raise Http404
    person = entry.person
    form = RemovalRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.request_removal(
                actor=actor, mission=mission, person=person, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(
            request,
            _("The request is recorded and the unit's case officers are told."),
        )
        return redirect("monitoring:pre_departure", pk=mission.pk)
    return render(
        request,
        "monitoring/removal_request_form.html",
        {"form": form, "mission": mission, "person": person},
    )


@requires(ANSWER)
@require_http_methods(["GET", "POST"])
def removal_request_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The Border Guard reads the monitor's request and answers it."""
    actor = actor_for(request)
    removal_request = selectors.get_removal_request_for_user(actor, pk, shown=True)
    if not selectors.may_answer(actor, removal_request.mission):
        raise Http404
    form = AnswerRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.answer_removal_request(
                actor=actor,
                request=removal_request,
                accepted=form.cleaned_data["answer"] == "accept",
                reason=form.cleaned_data["reason"],
            ),
        )
    ):
        messages.success(request, _("Your answer is recorded and the monitors are told."))
        return redirect("monitoring:mission_detail", pk=removal_request.mission_id)
    return render(
        request,
        "monitoring/removal_request_answer.html",
        {"form": form, "request_": removal_request, "mission": removal_request.mission},
    )


# --- from an observation about a person: a screening, or a suspicion --------------------------


def _person_observation(actor: Actor, pk: int) -> Observation:
    observation = selectors.get_observation_for_user(actor, pk, shown=True)
    if observation.person is None or not selectors.is_assigned(actor, observation.mission):
        raise Http404
    return observation


@requires(RECORD)
@require_http_methods(["GET", "POST"])
def observation_screening_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a screening of the person an observation is about (the screening app's own form
    and service), and note it on the observation."""
    actor = actor_for(request)
    observation = _person_observation(actor, pk)
    person = observation.person
    assert person is not None  # noqa: S101 - _person_observation ensures it
    form = SessionStartForm(
        request.POST or None, person=person, officer_language=_ui_language(request)
    )
    form.initial["stage"] = SCREENING_STAGE[Stage(observation.stage.stage)]
    if request.method == "POST" and form.is_valid():
        try:
            session = services.screen_from_observation(
                actor=actor, observation=observation, setup=form.setup()
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return redirect("screening:session_interview", pk=session.pk)
    return render(
        request,
        "monitoring/observation_follow_up.html",
        {
            "form": form,
            "observation": observation,
            "title": _("Screen %(case)s") % {"case": person.case_number},
            "submit": _("Start the screening"),
        },
    )


@requires(RECORD)
@require_http_methods(["GET", "POST"])
def observation_suspicion_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a suspicion about the person an observation is about (the referral service: the
    removal is held at once), and note it on the observation."""
    actor = actor_for(request)
    observation = _person_observation(actor, pk)
    person = observation.person
    assert person is not None  # noqa: S101 - _person_observation ensures it
    child = is_child(person, timezone.localdate())
    form = RaiseSuspicionForm(
        request.POST or None,
        child=child,
        initial={"source_reference": f"monitoring.observation:{observation.pk}"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suspicion = services.raise_suspicion_from_observation(
                actor=actor,
                observation=observation,
                reason=data["reason"],
                orphans_court=data.get("orphans_court"),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The suspicion is raised: the removal of %(case)s is held.")
                % {"case": person.case_number},
            )
            return redirect("referrals:suspicion_detail", pk=suspicion.pk)
    return render(
        request,
        "monitoring/observation_follow_up.html",
        {
            "form": form,
            "observation": observation,
            "title": _("Raise a suspicion about %(case)s") % {"case": person.case_number},
            "submit": _("Raise the suspicion and hold the removal"),
            "danger": True,
        },
    )
