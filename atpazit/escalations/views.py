"""Escalations to the Ombudsman: the list and resolving one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.services import log_event
from atpazit.escalations import services
from atpazit.escalations.forms import EscalationFilterForm, ResolveForm
from atpazit.escalations.selectors import escalations_visible_to, get_escalation_for_user
from atpazit.lib.forms import service_errors
from atpazit.lib.pages import query_without_page

PAGE_SIZE = 50


@requires("escalations.escalation:read")
def escalation_list_view(request: HttpRequest) -> HttpResponse:
    """Open (or all) escalations the actor's organisation may see, newest first."""
    actor = actor_for(request)
    form = EscalationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    state, kind = filters.get("state") or "open", filters.get("kind") or ""
    escalations = escalations_visible_to(actor).select_related("raised_by", "resolved_by")
    if state == "open":
        escalations = escalations.filter(resolved_at__isnull=True)
    elif state == "resolved":
        escalations = escalations.filter(resolved_at__isnull=False)
    if kind:
        escalations = escalations.filter(kind=kind)
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event("escalations.listed", details={"state": state, "kind": kind, "page": page.number})
    query = query_without_page(request)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_resolve": actor.can("escalations.escalation:resolve"),
        "can_see_cases": actor.can("cases.person:read"),
    }
    return render(request, "escalations/escalation_list.html", context)


@requires("escalations.escalation:resolve")
@require_http_methods(["GET", "POST"])
def escalation_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    escalation = get_escalation_for_user(actor, pk)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.resolve_escalation(
                actor=actor, escalation=escalation, note=form.cleaned_data["note"]
            )
            messages.success(request, _("The escalation is resolved."))
            return redirect("escalations:escalation_list")
    return render(
        request, "escalations/escalation_resolve.html", {"form": form, "escalation": escalation}
    )
