"""Findings and recommendations: the Office records and sends, the Border Guard answers.

Views parse input, call a selector or a service (monitoring/findings.py) and render; objects
come only through the accessors of ``findings_selectors`` (404 outside scope, reads audited).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.lib.forms import run_service_telling, service_errors
from atpazit.monitoring import findings
from atpazit.monitoring.findings_selectors import (
    OFFICE_READ,
    READ,
    RECORD,
    finding_heading,
    finding_text,
    findings_of,
    get_office_finding,
    get_office_mission,
    get_recommendation_for_user,
    is_office,
    overdue,
    recommendations_visible_to,
)
from atpazit.monitoring.forms_findings import (
    FindingEditForm,
    FindingForm,
    FollowUpForm,
    RecommendationForm,
    ResponseForm,
    VersionForm,
)
from atpazit.monitoring.models import Recommendation

SEND = findings.SEND
RESPOND = findings.RESPOND
PAGE_SIZE = 50


@requires(OFFICE_READ)
@require_http_methods(["GET", "POST"])
def mission_findings_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings of one mission of the Office, with their recommendations; a monitor
    records a new finding here."""
    actor = actor_for(request)
    mission = get_office_mission(actor, pk)
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            findings.record_finding(actor=actor, mission=mission, **form.cleaned_data)
            messages.success(request, _("The finding is recorded."))
            return redirect("monitoring_findings:mission_findings", pk=mission.pk)
    context = {
        "mission": mission,
        "findings": findings_of(mission),
        "form": form,
        "can_record": actor.can(RECORD),
        "can_withdraw": actor.can(SEND),
    }
    return render(request, "monitoring/findings/mission_findings.html", context)


@requires(RECORD)
@require_http_methods(["GET", "POST"])
def finding_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the text of a finding still the Office's own (for one drafted from the records:
    the Office's note beside the sentence the system renders)."""
    actor = actor_for(request)
    finding = get_office_finding(actor, pk)
    form = FindingEditForm(
        request.POST or None, initial={"version": finding.version, "text": finding.text}
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            findings.update_finding(actor=actor, finding=finding, **form.cleaned_data)
            messages.success(request, _("The finding is changed."))
            return redirect("monitoring_findings:mission_findings", pk=finding.mission_id)
    context = {
        "finding": finding,
        "heading": finding_heading(finding),
        "shown_text": finding_text(finding),
        "form": form,
    }
    return render(request, "monitoring/findings/finding_edit.html", context)


@requires(SEND)
@require_POST
def finding_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The head of monitoring withdraws a finding still the Office's own."""
    actor = actor_for(request)
    finding = get_office_finding(actor, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else 0
    run_service_telling(
        request,
        lambda: findings.withdraw_finding(actor=actor, finding=finding, version=version),
        success=_("The finding is withdrawn."),
    )
    return redirect("monitoring_findings:mission_findings", pk=finding.mission_id)


@requires(RECORD)
@require_http_methods(["GET", "POST"])
def recommendation_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    finding = get_office_finding(actor, pk)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            recommendation = findings.draft_recommendation(
                actor=actor, finding=finding, text=form.cleaned_data["text"]
            )
            messages.success(
                request, _("The recommendation is drafted; the head of monitoring sends it.")
            )
            return redirect("monitoring_findings:recommendation_detail", pk=recommendation.pk)
    return render(
        request,
        "monitoring/findings/recommendation_draft.html",
        {
            "finding": finding,
            "heading": finding_heading(finding),
            "shown_text": finding_text(finding),
            "form": form,
        },
    )


@requires(READ)
def recommendation_list_view(request: HttpRequest) -> HttpResponse:
    """The Office: every recommendation of its missions. The Border Guard: those sent to it."""
    actor = actor_for(request)
    recommendations = recommendations_visible_to(actor).select_related(
        "finding__mission__operation", "addressee"
    )
    state = request.GET.get("state", "open")
    if state == "open":
        recommendations = recommendations.filter(
            status__in=[
                Recommendation.Status.DRAFT,
                Recommendation.Status.SENT,
                Recommendation.Status.ANSWERED,
                Recommendation.Status.FOLLOW_UP,
            ]
        )
    recommendations = recommendations.order_by("response_due_at", "pk")
    page = Paginator(recommendations, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event("recommendations.listed", details={"state": state, "page": page.number})
    rows = [(r, overdue(r)) for r in page.object_list]
    office = actor.organisation is not None and actor.organisation.type == (
        OrganisationType.OMBUDSMAN
    )
    context = {"page": page, "rows": rows, "state": state, "office": office}
    return render(request, "monitoring/findings/recommendation_list.html", context)


@requires(READ)
def recommendation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    recommendation = get_recommendation_for_user(actor, pk)
    mission = recommendation.finding.mission
    office = is_office(actor, mission)
    status = recommendation.status
    context = {
        "recommendation": recommendation,
        "finding": recommendation.finding,
        "finding_text": finding_text(recommendation.finding),
        "mission": mission,
        "office": office,
        "overdue": overdue(recommendation),
        "can_send": office and actor.can(SEND) and status == Recommendation.Status.DRAFT,
        "can_withdraw": office
        and actor.can(SEND)
        and status in (Recommendation.Status.DRAFT, Recommendation.Status.SENT),
        "can_follow_up": office
        and actor.can(SEND)
        and status in (Recommendation.Status.ANSWERED, Recommendation.Status.FOLLOW_UP),
        "can_respond": not office and actor.can(RESPOND) and status == Recommendation.Status.SENT,
        "version_form": VersionForm(initial={"version": recommendation.version}),
    }
    return render(request, "monitoring/findings/recommendation_detail.html", context)


@requires(SEND)
@require_POST
def recommendation_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, findings.send_recommendation, _("The recommendation is sent."))


@requires(SEND)
@require_POST
def recommendation_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(
        request, pk, findings.withdraw_recommendation, _("The recommendation is withdrawn.")
    )


def _button(request: HttpRequest, pk: int, call: object, success: str) -> HttpResponse:
    actor = actor_for(request)
    recommendation = get_recommendation_for_user(actor, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else 0
    run_service_telling(
        request,
        lambda: call(actor=actor, recommendation=recommendation, version=version),  # type: ignore[operator]
        success=success,
    )
    return redirect("monitoring_findings:recommendation_detail", pk=recommendation.pk)


@requires(RESPOND)
@require_http_methods(["GET", "POST"])
def recommendation_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The Border Guard unit addressed answers a recommendation."""
    return _recommendation_form(
        request,
        pk,
        ResponseForm,
        findings.respond_to_recommendation,
        done=_("Your response is recorded."),
        heading=_("Answer the recommendation"),
        submit=_("Send the response"),
    )


@requires(SEND)
@require_http_methods(["GET", "POST"])
def recommendation_follow_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The head of monitoring records the follow-up of an answered recommendation."""
    return _recommendation_form(
        request,
        pk,
        FollowUpForm,
        findings.follow_up_recommendation,
        done=_("The follow-up is recorded."),
        heading=_("Record the follow-up"),
        submit=_("Record the follow-up"),
    )


def _recommendation_form(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    call: Callable[..., object],
    *,
    done: str,
    heading: str,
    submit: str,
) -> HttpResponse:
    """A form on a recommendation (with the version it was shown at): the service with the
    form's data, then the recommendation's page; its refusal on the form."""
    actor = actor_for(request)
    recommendation = get_recommendation_for_user(actor, pk)
    form = form_class(request.POST or None, initial={"version": recommendation.version})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            call(actor=actor, recommendation=recommendation, **form.cleaned_data)
            messages.success(request, done)
            return redirect("monitoring_findings:recommendation_detail", pk=recommendation.pk)
    return render(
        request,
        "monitoring/findings/recommendation_form.html",
        {"recommendation": recommendation, "form": form, "heading": heading, "submit": submit},
    )
