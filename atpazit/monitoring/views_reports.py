"""Monitoring reports (draft, approve, publish, PDF) and the annual table.

Views parse input, call a service (monitoring/reports.py, monitoring/annual.py) and render; a
report comes only through ``get_report_for_user`` (404 outside the Office, reads audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.forms import run_service_telling, service_errors
from atpazit.monitoring import annual, reports
from atpazit.monitoring.findings_selectors import get_office_mission
from atpazit.monitoring.forms_findings import AnnualForm, ReportForm, ReportSummaryForm, VersionForm
from atpazit.monitoring.models import MonitoringReport
from atpazit.monitoring.reports import get_report_for_user


@requires(reports.RECORD)
@require_http_methods(["GET", "POST"])
def report_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    mission = get_office_mission(actor, pk, audited=False)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            report = reports.draft_report(actor=actor, mission=mission, **form.cleaned_data)
            messages.success(request, _("The report is drafted."))
            return redirect("monitoring_findings:report_detail", pk=report.pk)
    return render(
        request, "monitoring/findings/report_draft.html", {"mission": mission, "form": form}
    )


@requires(reports.OFFICE_READ)
@require_http_methods(["GET", "POST"])
def report_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The report with its status and actions; a draft's summary is changed here."""
    actor = actor_for(request)
    report = get_report_for_user(actor, pk)
    draft = report.status == MonitoringReport.Status.DRAFT
    form = ReportSummaryForm(
        request.POST or None, initial={"version": report.version, "summary": report.summary}
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            reports.update_report(actor=actor, report=report, **form.cleaned_data)
            messages.success(request, _("The report is saved."))
            return redirect("monitoring_findings:report_detail", pk=report.pk)
    status = MonitoringReport.Status
    can_publish = actor.can(reports.PUBLISH)
    context = {
        "report": report,
        "mission": report.mission,
        "form": form,
        "can_edit": draft and actor.can(reports.RECORD),
        "can_approve": can_publish and report.status == status.DRAFT,
        "can_return": can_publish and report.status == status.APPROVED,
        "can_publish": can_publish and report.status == status.APPROVED,
        "version_form": VersionForm(initial={"version": report.version}),
    }
    return render(request, "monitoring/findings/report_detail.html", context)


@requires(reports.OFFICE_READ)
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    report = get_report_for_user(actor, pk, shown_on="pdf")
    response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-report-{report.mission_id}-{report.language}.pdf"'
    )
    return response


@requires("monitoring.mission:read")
def report_published_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A published report, for everyone who sees its mission (the Border Guard unit whose
    operation was monitored included): exactly the bytes published."""
    actor = actor_for(request)
    report = reports.get_published_report_for_user(actor, pk)
    response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-report-{report.mission_id}-{report.language}.pdf"'
    )
    return response


@requires(reports.PUBLISH)
@require_POST
def report_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, reports.approve_report, _("The report is approved."))


@requires(reports.PUBLISH)
@require_POST
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, reports.return_report_to_draft, _("The report is a draft again."))


@requires(reports.PUBLISH)
@require_POST
def report_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, reports.publish_report, _("The report is published."))


def _button(request: HttpRequest, pk: int, call: object, success: str) -> HttpResponse:
    actor = actor_for(request)
    report = get_report_for_user(actor, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else 0
    run_service_telling(
        request,
        lambda: call(actor=actor, report=report, version=version),  # type: ignore[operator]
        success=success,
    )
    return redirect("monitoring_findings:report_detail", pk=report.pk)


@requires(annual.EXPORT)
def annual_table_view(request: HttpRequest) -> HttpResponse:
    """The annual table for a chosen year: on the page, or as CSV, XLSX or PDF."""
    actor = actor_for(request)
    data = request.GET if "year" in request.GET else None
    form = AnnualForm(data, initial={"year": timezone.localdate().year})
    table = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        file_format = form.cleaned_data.get("format") or ""
        if file_format:
            export = annual.export_annual_table(actor=actor, year=year, file_format=file_format)
            response = HttpResponse(export.content, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
        table = annual.annual_table(actor, year)
    return render(
        request,
        "monitoring/findings/annual_table.html",
        {"form": form, "table": table, "totals": annual.totals(table) if table else []},
    )
