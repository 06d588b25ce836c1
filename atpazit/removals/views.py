"""Removal operations: list, plan, manifest, import, confirm/complete, pre-departure check.

Views parse input, call a selector or a service and render. Operations come only through
``get_operation_for_user`` (404 outside scope); every page that shows personal data is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.audit.services import log_event
from atpazit.cases.holds import RemovalBlocked
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import add_service_error, service_errors
from atpazit.lib.pages import query_without_page
from atpazit.removals import services
from atpazit.removals.conflicts import sync_conflict_escalations
from atpazit.removals.countries import country_name
from atpazit.removals.exports import FORMATS, export_manifest
from atpazit.removals.forms import (
    AddPersonForm,
    EscortTeamForm,
    ImportForm,
    OperationFilterForm,
    OperationForm,
    initial_for,
    operation_details,
)
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.presenters import manifest_table
from atpazit.removals.selectors import (
    PreDepartureCheck,
    countries_of,
    filter_operations,
    get_operation_for_user,
    may_change,
    operations_visible_to,
    pre_departure_check,
    with_conflict_counts,
    with_manifest_counts,
)

PAGE_SIZE = 25
READ = "removals.operation:read"
WRITE = "removals.operation:write"


@requires(READ)
def operation_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    visible = operations_visible_to(actor)
    form = OperationFilterForm(request.GET or None, countries=countries_of(visible))
    filters = form.cleaned_data if form.is_valid() else {}
    operations = filter_operations(
        with_manifest_counts(visible).select_related("organisation"),
        **{key: value for key, value in filters.items() if value},
    ).order_by("departure_at", "pk")
    page = Paginator(operations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_conflict_counts(list(page.object_list))
    log_event("operations.listed", details={key: str(v) for key, v in filters.items() if v})
    query = query_without_page(request)
    return render(
        request,
        "removals/operation_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_plan": actor.can(WRITE),
        },
    )


@requires(WRITE)
@require_http_methods(["GET", "POST"])
def operation_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    organisation = actor.organisation
    if organisation is None:
        return redirect("removals:operation_list")
    form = OperationForm(request.POST or None, organisation=organisation)
    team_form = EscortTeamForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid() and team_form.is_valid():
        with service_errors(form):
            operation = services.create_operation(
                actor=actor, details=operation_details(form, team_form)
            )
            messages.success(
                request, _("The operation is planned. Now add persons to its manifest.")
            )
            return redirect("removals:operation_detail", pk=operation.pk)
    return render(
        request,
        "removals/operation_form.html",
        {"form": form, "team_form": team_form, "operation": None},
    )


@requires(WRITE)
@require_http_methods(["GET", "POST"])
def operation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk, write=True)
    initial, team_initial = initial_for(operation)
    data = request.POST or None
    form = OperationForm(data, initial=initial, organisation=operation.organisation)
    team_form = EscortTeamForm(data, initial=team_initial, organisation=operation.organisation)
    differences: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid() and team_form.is_valid():
        details = operation_details(form, team_form)
        try:
            services.update_operation(
                actor=actor,
                operation=operation,
                expected_version=form.cleaned_data["version"] or 0,
                details=details,
            )
        except services.OperationChanged as exc:
            differences = _differences(details, exc.current)
            form = _rebased(request, exc.current)
            form.add_error(None, exc.message)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The operation is saved."))
            return redirect("removals:operation_detail", pk=operation.pk)
    return render(
        request,
        "removals/operation_form.html",
        {
            "form": form,
            "team_form": team_form,
            "operation": operation,
            "differences": differences,
        },
    )


def _rebased(request: HttpRequest, current: RemovalOperation) -> OperationForm:
    """The user's input again, now based on the saved version: saving it is a conscious choice."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = OperationForm(data, organisation=current.organisation)
    form.is_valid()
    return form


def _differences(
    details: services.OperationDetails, current: RemovalOperation
) -> list[dict[str, str]]:
    """What the other person saved that differs from what this user entered."""
    entered = RemovalOperation(
        type=details.type,
        reference=details.reference.strip(),
        departure_at=details.departure_at,
        route=details.route.strip(),
        country_of_return=details.country_of_return.upper(),
        escort_leader=details.escort_leader,
    )
    yours, saved = _shown(entered), _shown(current)
    return [
        {"field": field, "yours": yours[field], "saved": saved[field]}
        for field in yours
        if yours[field] != saved[field]
    ]


def _shown(operation: RemovalOperation) -> dict[str, str]:
    leader = operation.escort_leader
    return {
        _("Type"): operation.get_type_display(),
        _("Reference"): operation.reference or "—",
        _("Departure"): formats.date_format(
            timezone.localtime(operation.departure_at), "SHORT_DATETIME_FORMAT"
        ),
        _("Route"): operation.route,
        _("Country of return"): country_name(operation.country_of_return),
        _("Escort leader"): leader.display_name() if leader else "—",
    }


@requires(READ)
def operation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk)
    return _render_detail(request, operation, AddPersonForm())


def _render_detail(
    request: HttpRequest, operation: RemovalOperation, add_form: AddPersonForm, status: int = 200
) -> HttpResponse:
    actor = actor_for(request)
    check = _checked(actor, operation, shown_on="detail")
    context: dict[str, Any] = {
        "operation": operation,
        "check": check,
        "table": manifest_table(operation, check.rows),
        "country": country_name(operation.country_of_return),
        "escort_team": list(operation.escort_team.all()),
        "can_change": may_change(actor, operation) and operation.manifest_is_open,
        "add_form": add_form,
    }
    return render(request, "removals/operation_detail.html", context, status=status)


def _checked(actor: Actor, operation: RemovalOperation, *, shown_on: str) -> PreDepartureCheck:
    """The check of the manifest (its read audited by the selector), with its conflicts'
    escalations brought up to date."""
    check = pre_departure_check(operation, shown_on=shown_on)
    sync_conflict_escalations(operation=operation, actor=actor, conflicts=check.conflicts)
    return check


@requires(WRITE)
@require_POST
def manifest_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk, write=True)
    form = AddPersonForm(request.POST)
    if form.is_valid():
        try:
            entry = services.add_case_to_manifest(
                actor=actor, operation=operation, case_number=form.cleaned_data["case_number"]
            )
        except RemovalBlocked as exc:
            form.add_error("case_number", str(exc))
        except ServiceError as exc:
            form.add_error("case_number", exc.message)
        else:
            messages.success(
                request,
                _("%(case)s is on the manifest.") % {"case": entry.person.case_number},
            )
            return redirect("removals:operation_detail", pk=operation.pk)
    return _render_detail(request, operation, form, status=400)


@requires(WRITE)
@require_POST
def manifest_remove_view(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk, write=True)
    entry = get_object_or_404(
        ManifestEntry.objects.select_related("person"), pk=entry_pk, operation=operation
    )
    try:
        services.remove_from_manifest(actor=actor, entry=entry)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(case)s is no longer on the manifest.") % {"case": entry.person.case_number},
        )
    return redirect("removals:operation_detail", pk=operation.pk)


@requires(WRITE)
@require_http_methods(["GET", "POST"])
def manifest_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_manifest(
                actor=actor, operation=operation, data=upload.read(), filename=upload.name
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person was added to the manifest.",
                        "%(count)d persons were added to the manifest.",
                        result.added,
                    )
                    % {"count": result.added},
                )
                return redirect("removals:operation_detail", pk=operation.pk)
            problems = result.problems
    return render(
        request,
        "removals/manifest_import.html",
        {"operation": operation, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


def _status_change(request: HttpRequest, pk: int, change: Any, done: str) -> HttpResponse:
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk, write=True)
    try:
        change(actor=actor, operation=operation)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("removals:operation_detail", pk=operation.pk)


@requires(WRITE)
@require_POST
def operation_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, services.confirm_operation, _("The operation is confirmed."))


@requires(WRITE)
@require_POST
def operation_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request,
        pk,
        services.complete_operation,
        _("The operation is recorded as carried out; everyone on it is marked departed."),
    )


@requires(WRITE)
@require_POST
def operation_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, services.cancel_operation, _("The operation is cancelled."))


@requires(READ)
def pre_departure_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable pre-departure check: every returnee with screening, flags and holds."""
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk)
    check = _checked(actor, operation, shown_on="pre_departure")
    return render(
        request,
        "removals/pre_departure.html",
        {
            "operation": operation,
            "check": check,
            "table": manifest_table(operation, check.rows),
            "country": country_name(operation.country_of_return),
        },
    )


@requires(READ)
@require_POST
def manifest_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The manifest (case numbers) as CSV or Excel. A POST with its CSRF token, never a GET:
    the export is audited as a disclosure, so a link or an image on another site, or a
    browser's prefetch, must not be able to make one in the officer's name."""
    actor = actor_for(request)
    operation = get_operation_for_user(actor, pk)
    file_format = request.POST.get("format", "csv")
    if file_format not in FORMATS:
        file_format = "csv"
    export = export_manifest(actor=actor, operation=operation, file_format=file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
