"""Monitoring reports: one per mission and language, as a PDF built with typst (issue 12 item 6).

The flow (``REPORT_TRANSITIONS`` in models.py): a monitor of the Office drafts the report of a
mission under way or completed (``monitoring.mission:record``) and may change its summary while
it is a draft; the head of monitoring approves it, or sends it back to draft, and publishes an
approved one once the mission is completed (``monitoring.report:publish``). Publishing stores
the PDF and its SHA-256: a published report never changes, and every download of it returns the
bytes that were published. Every write and every download is audited.

The PDF holds: the mission and its operation, the notice the Border Guard gave, the summary, the
stages observed with their times, the checklist results, the observations and the findings with
their recommendations and the Border Guard's responses. Returnees appear by case number only;
the report is read by the Office's own monitors, who may see those persons. Everything variable
goes to typst as JSON through ``sys.inputs``; nothing is spliced into typst markup.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, InvalidTransition, NotAllowed
from atpazit.lib.pdf import render_pdf
from atpazit.monitoring import checklists
from atpazit.monitoring.findings_selectors import finding_heading, finding_text, is_office
from atpazit.monitoring.models import (
    REPORT_TRANSITIONS,
    SENT_STATUSES,
    STAGE_ORDER,
    Mission,
    MonitoringReport,
    Stage,
)

RECORD = "monitoring.mission:record"
PUBLISH = "monitoring.report:publish"
OFFICE_READ = "monitoring.observation:read"
TEMPLATE = Path(__file__).resolve().parent / "documents" / "report.typ"
REPORT_MISSION_STATUSES = frozenset({Mission.Status.IN_PROGRESS, Mission.Status.COMPLETED})


class ReportError(Exception):
    """typst could not build the PDF; the message says why."""


# --- reads ------------------------------------------------------------------------------------


def get_report_for_user(actor: Actor, pk: int, *, shown_on: str = "page") -> MonitoringReport:
    """The report ``pk`` if it is one of the actor's Office (with ``monitoring.observation:read``),
    else Http404; the read is audited."""
    organisation = actor.organisation
    if organisation is None or not actor.can(OFFICE_READ):
        raise Http404
    try:
        report = MonitoringReport.objects.select_related("mission__operation").get(
            pk=pk, mission__organisation=organisation
        )
    except MonitoringReport.DoesNotExist as exc:
        raise Http404 from exc
    log_event(
        "report.downloaded" if shown_on == "pdf" else "report.viewed",
        obj=report,
        details={"mission": report.mission_id, "status": report.status},
    )
    return report


def get_published_report_for_user(actor: Actor, pk: int) -> MonitoringReport:
    """A *published* report of a mission the actor sees (``selectors.missions_visible_to``):
    the Office's own, and for a Border Guard unit those of its operations' announced missions —
    a published report is public. A draft or approved one stays the Office's: Http404 for
    anyone else, as for a report of another unit. The download is audited."""
    from atpazit.monitoring.selectors import READ, missions_visible_to

    if not actor.can(READ):
        raise Http404
    try:
        report = MonitoringReport.objects.select_related("mission__operation").get(
            pk=pk,
            status=MonitoringReport.Status.PUBLISHED,
            mission__in=missions_visible_to(actor),
        )
    except MonitoringReport.DoesNotExist as exc:
        raise Http404 from exc
    log_event(
        "report.downloaded",
        obj=report,
        details={"mission": report.mission_id, "status": report.status, "published": True},
    )
    return report


def report_pdf(report: MonitoringReport) -> bytes:
    """The PDF of a report: the published bytes once published, else built afresh (marked as a
    draft or as approved but not yet published)."""
    if report.status == MonitoringReport.Status.PUBLISHED and report.pdf:
        return bytes(report.pdf)
    return build_pdf(report)


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def draft_report(
    *, actor: Actor, mission: Mission, language: str, summary: str
) -> MonitoringReport:
    """A monitor of the Office drafts the report of a mission under way or completed, in Latvian
    or English (one report per language). Raises NotAllowed or InvalidInput naming the field."""
    if not actor.can(RECORD) or not is_office(actor, mission):
        raise NotAllowed(_("Your role does not allow this."))
    errors: dict[str, list[str]] = {}
    if mission.status not in REPORT_MISSION_STATUSES:
        errors["__all__"] = [_("A report is drafted for a mission under way or completed.")]
    if language not in MonitoringReport.Language.values:
        errors["language"] = [_("Choose Latvian or English.")]
    elif MonitoringReport.objects.filter(mission=mission, language=language).exists():
        errors["language"] = [_("This mission already has a report in this language.")]
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("Write the summary of the report.")]
    if errors:
        raise InvalidInput(errors)
    report = MonitoringReport.objects.create(
        mission=mission, language=language, summary=summary, drafted_by=actor.user
    )
    log_event("report.drafted", obj=report, details={"mission": mission.pk, "language": language})
    return report


@transaction.atomic
def update_report(
    *, actor: Actor, report: MonitoringReport, version: int, summary: str
) -> MonitoringReport:
    """Change the summary of a draft report."""
    current = _locked(report)
    if not actor.can(RECORD) or not is_office(actor, current.mission):
        raise NotAllowed(_("Your role does not allow this."))
    _check_version(current, version)
    if current.status != MonitoringReport.Status.DRAFT:
        raise InvalidTransition(_("Only a draft report can be changed."))
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput({"summary": [_("Write the summary of the report.")]})
    current.summary = summary
    current.version += 1
    current.save(update_fields=["summary", "version"])
    log_event("report.updated", obj=current, details={"mission": current.mission_id})
    return current


@transaction.atomic
def approve_report(*, actor: Actor, report: MonitoringReport, version: int) -> MonitoringReport:
    current = _head_move(actor, report, version, MonitoringReport.Status.APPROVED)
    current.approved_by = actor.user
    current.approved_at = timezone.now()
    current.save(update_fields=["status", "approved_by", "approved_at", "version"])
    log_event("report.approved", obj=current, details={"mission": current.mission_id})
    return current


@transaction.atomic
def return_report_to_draft(
    *, actor: Actor, report: MonitoringReport, version: int
) -> MonitoringReport:
    current = _head_move(actor, report, version, MonitoringReport.Status.DRAFT)
    current.approved_by = None
    current.approved_at = None
    current.save(update_fields=["status", "approved_by", "approved_at", "version"])
    log_event("report.returned_to_draft", obj=current, details={"mission": current.mission_id})
    return current


@transaction.atomic
def publish_report(*, actor: Actor, report: MonitoringReport, version: int) -> MonitoringReport:
    """The head of monitoring publishes an approved report of a completed mission: the PDF is
    built once and stored with its SHA-256; nothing about the report changes afterwards."""
    current = _locked(report)
    if current.mission.status != Mission.Status.COMPLETED:
        raise InvalidTransition(_("A report is published once the mission is completed."))
    current = _head_move(actor, current, version, MonitoringReport.Status.PUBLISHED)
    current.published_by = actor.user
    current.published_at = timezone.now()
    pdf = build_pdf(current)
    current.pdf = pdf
    current.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    current.save(
        update_fields=["status", "published_by", "published_at", "pdf", "pdf_sha256", "version"]
    )
    log_event(
        "report.published",
        obj=current,
        details={"mission": current.mission_id, "sha256": current.pdf_sha256},
    )
    return current


def _head_move(
    actor: Actor, report: MonitoringReport, version: int, to: MonitoringReport.Status
) -> MonitoringReport:
    current = _locked(report)
    if not actor.can(PUBLISH) or not is_office(actor, current.mission):
        raise NotAllowed(_("Only the head of monitoring approves and publishes reports."))
    _check_version(current, version)
    if to not in REPORT_TRANSITIONS[MonitoringReport.Status(current.status)]:
        raise InvalidTransition(
            _("A report that is %(status)s cannot become %(to)s.")
            % {"status": current.get_status_display(), "to": to.label}
        )
    current.status = to
    current.version += 1
    return current


def _locked(report: MonitoringReport) -> MonitoringReport:
    return (
        MonitoringReport.objects.select_for_update(of=("self",))
        .select_related("mission__operation")
        .get(pk=report.pk)
    )


def _check_version(current: MonitoringReport, version: int) -> None:
    if current.version != version:
        raise ConcurrentEdit(
            _("The report was changed by someone else meanwhile; nothing was saved.")
        )


# --- the PDF ----------------------------------------------------------------------------------


def build_pdf(report: MonitoringReport) -> bytes:
    return render_pdf(TEMPLATE, report_data(report), what="the report", error=ReportError)


def report_data(report: MonitoringReport) -> dict[str, Any]:
    """Everything the report shows, in the report's language, as plain JSON-ready values."""
    with translation.override(report.language):
        return _data(report)


def _when(value: Any) -> str:
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _day(value: Any) -> str:
    return "—" if value is None else formats.date_format(value, "SHORT_DATE_FORMAT")


def _data(report: MonitoringReport) -> dict[str, Any]:
    mission = report.mission
    operation = mission.operation
    status_notice = {
        MonitoringReport.Status.DRAFT: _("Draft: not approved, not published."),
        MonitoringReport.Status.APPROVED: _("Approved, not yet published."),
        MonitoringReport.Status.PUBLISHED: "",
    }[MonitoringReport.Status(report.status)]
    in_time = {True: _("yes"), False: _("no"), None: "—"}[mission.informed_in_time]
    facts = [
        [_("Mission"), str(mission)],
        [_("Removal operation"), operation.reference or f"#{operation.pk}"],
        [_("Type of operation"), str(operation.get_type_display())],
        [_("Departure"), _when(operation.departure_at)],
        [_("Route"), operation.route],
        [_("Country of return"), operation.country_of_return],
        [_("Number of monitors"), str(mission.monitors.count())],
        [_("Checklist release"), mission.checklist_version],
        [_("Informed of the operation"), _when(mission.informed_at)],
        [
            _("Notice given (hours)"),
            "—" if mission.notice_hours is None else str(mission.notice_hours),
        ],
        [_("Informed in time"), in_time],
    ]
    if report.published_at:
        facts.append([_("Published"), _when(report.published_at)])
    stages = sorted(mission.stages.all(), key=lambda s: STAGE_ORDER.index(Stage(s.stage)))
    release = checklists.load(mission.checklist_version)
    checklist_groups = []
    for stage in stages:
        answers = {answer.item_code: answer for answer in stage.answers.all()}
        rows = []
        for item in release.for_stage(stage.stage):
            answer = answers.get(item.code)
            rows.append(
                [item.text, str(answer.get_answer_display()) if answer else _("not answered")]
            )
        if rows:
            checklist_groups.append({"stage": str(stage.get_stage_display()), "rows": rows})
    observations = [
        [
            _when(observation.observed_at),
            str(observation.stage.get_stage_display()),
            str(observation.get_category_display()),
            observation.person.case_number if observation.person is not None else "—",
            f"{observation.get_severity_display()}: {observation.text}",
        ]
        for observation in mission.observations.select_related("stage", "person").order_by(
            "observed_at", "pk"
        )
    ]
    return {
        "lang": report.language,
        "title": _("Forced-return monitoring report"),
        "subtitle": _("Mission %(mission)s, removal operation of %(date)s")
        % {"mission": mission, "date": _day(timezone.localtime(operation.departure_at).date())},
        "draft_notice": status_notice,
        "footer": _("Atpazīt · monitoring report %(report)s · returnees by case number only")
        % {"report": report},
        "facts": facts,
        "summary": [p for p in report.summary.splitlines() if p.strip()],
        "headings": {
            "summary": _("Summary"),
            "stages": _("Stages observed"),
            "checklist": _("Checklist results"),
            "observations": _("Observations"),
            "findings": _("Findings and recommendations"),
        },
        "none_text": _("None."),
        "columns": {
            "stages": [_("Stage"), _("Planned start"), _("Actual start"), _("Actual end")],
            "checklist": [_("Question"), _("Answer")],
            "observations": [
                _("Time"),
                _("Stage"),
                _("Category"),
                _("Case number"),
                _("What was observed"),
            ],
        },
        "stages": [
            [
                str(stage.get_stage_display()),
                _when(stage.planned_start),
                _when(stage.actual_start),
                _when(stage.actual_end),
            ]
            for stage in stages
        ],
        "checklist": checklist_groups,
        "observations": observations,
        "findings": _findings(mission),
    }


def _findings(mission: Mission) -> list[dict[str, Any]]:
    result = []
    # Withdrawn findings are not the Office's findings any more; a coded one (D9) is rendered
    # from its code and details in the report's language.
    active = mission.findings.filter(withdrawn_at__isnull=True)
    for finding in active.prefetch_related("recommendations").order_by("pk"):
        recommendations = []
        # Only what was sent to the Border Guard: not drafts, not withdrawn ones.
        for recommendation in finding.recommendations.filter(status__in=SENT_STATUSES).order_by(
            "pk"
        ):
            lines = [_("Status: %(status)s") % {"status": recommendation.get_status_display()}]
            if recommendation.response_due_at:
                lines.append(
                    _("Response due: %(date)s") % {"date": _when(recommendation.response_due_at)}
                )
            if recommendation.response:
                lines.append(
                    _("Border Guard response: %(response)s — %(reasons)s")
                    % {
                        "response": recommendation.get_response_display(),
                        "reasons": recommendation.response_reasons,
                    }
                )
            if recommendation.response_actions:
                lines.append(
                    _("Actions: %(actions)s (by %(date)s)")
                    % {
                        "actions": recommendation.response_actions,
                        "date": _day(recommendation.actions_due),
                    }
                )
            recommendations.append(
                {
                    "heading": _("Recommendation %(recommendation)s")
                    % {"recommendation": recommendation},
                    "text": recommendation.text,
                    "lines": lines,
                }
            )
        result.append(
            {
                "heading": finding_heading(finding),
                "text": finding_text(finding),
                "recommendations": recommendations,
            }
        )
    return result
