"""The annual table of forced-return monitoring, compatible with FRA's overview (domain.md §2.9).

For a chosen year, the Office's completed missions whose operation departed that year: one row
per operation monitored (operation, date, type, stages covered, monitors, findings,
recommendations sent, report published, the notice the Border Guard gave and whether it was in
time), and the totals FRA's "forced return monitoring systems" table asks for (operations
monitored, by type of operation, stages covered, monitors, findings, recommendations, reports
published), with the operations the Office was informed of late. No returnee appears, not even
by case number.
As CSV and XLSX (every cell through ``neutralise_formula``, via ``lib.spreadsheet``) and PDF.
Every export is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.errors import NotAllowed
from atpazit.lib.pdf import render_pdf
from atpazit.lib.spreadsheet import write_csv, write_xlsx
from atpazit.monitoring.models import (
    STAGE_ORDER,
    Mission,
    MonitoringReport,
    Recommendation,
    Stage,
)
from atpazit.removals.models import RemovalOperation

EXPORT = "monitoring.annual:export"
TEMPLATE = Path(__file__).resolve().parent / "documents" / "annual.typ"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
# Recommendations the Border Guard received (drafts and withdrawn ones are not counted).
COUNTED_RECOMMENDATIONS = (
    Recommendation.Status.SENT,
    Recommendation.Status.ANSWERED,
    Recommendation.Status.FOLLOW_UP,
    Recommendation.Status.IMPLEMENTED,
    Recommendation.Status.NOT_IMPLEMENTED,
)


@dataclass(frozen=True)
class OperationRow:
    mission: str
    operation: str
    departure: str
    type: str
    type_label: str
    stages: tuple[str, ...]
    monitors: int
    findings: int
    recommendations: int
    report_published: bool
    # The notice the Border Guard gave, as recorded with the mission (None: not recorded).
    notice_hours: int | None = None
    informed_in_time: bool | None = None


@dataclass(frozen=True)
class AnnualTable:
    year: int
    rows: list[OperationRow]
    operations: int
    by_type: dict[str, int]  # operation type code -> operations monitored
    by_stage: dict[str, int]  # stage code -> operations where it was covered
    monitors: int  # distinct monitors who took part
    findings: int
    recommendations: int
    reports_published: int
    # Operations of which the Office was informed later than the required notice period.
    informed_late: int = 0


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def annual_table(actor: Actor, year: int) -> AnnualTable:
    """The table of the actor's Office for ``year`` (departure dates in local time)."""
    organisation = actor.organisation
    if organisation is None or not actor.can(EXPORT):
        raise NotAllowed(_("Your role does not allow this."))
    missions = (
        Mission.objects.filter(
            organisation=organisation,
            status=Mission.Status.COMPLETED,
            operation__departure_at__year=year,
        )
        .select_related("operation")
        .prefetch_related("stages", "monitors")
        .order_by("operation__departure_at", "pk")
    )
    rows = []
    monitors: set[int] = set()
    for mission in missions:
        operation = mission.operation
        covered = tuple(
            sorted(
                {stage.stage for stage in mission.stages.all()},
                key=lambda code: STAGE_ORDER.index(Stage(code)),
            )
        )
        mission_monitors = {user.pk for user in mission.monitors.all()}
        monitors |= mission_monitors
        rows.append(
            OperationRow(
                mission=str(mission),
                operation=operation.reference or f"#{operation.pk}",
                departure=timezone.localtime(operation.departure_at).date().isoformat(),
                type=operation.type,
                type_label=str(operation.get_type_display()),
                stages=covered,
                monitors=len(mission_monitors),
                findings=mission.findings.filter(withdrawn_at__isnull=True).count(),
                recommendations=Recommendation.objects.filter(
                    finding__mission=mission, status__in=COUNTED_RECOMMENDATIONS
                ).count(),
                report_published=mission.reports.filter(
                    status=MonitoringReport.Status.PUBLISHED
                ).exists(),
                notice_hours=mission.notice_hours,
                informed_in_time=mission.informed_in_time,
            )
        )
    by_type = {kind: sum(1 for row in rows if row.type == kind) for kind in RemovalOperation.Type}
    by_stage = {stage: sum(1 for row in rows if stage in row.stages) for stage in Stage}
    return AnnualTable(
        year=year,
        rows=rows,
        operations=len(rows),
        by_type={str(k): v for k, v in by_type.items()},
        by_stage={str(k): v for k, v in by_stage.items()},
        monitors=len(monitors),
        findings=sum(row.findings for row in rows),
        recommendations=sum(row.recommendations for row in rows),
        reports_published=sum(1 for row in rows if row.report_published),
        informed_late=sum(1 for row in rows if row.informed_in_time is False),
    )


def export_annual_table(*, actor: Actor, year: int, file_format: str) -> ExportFile:
    """The table as CSV, XLSX or PDF; audited. ValueError for another format."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    table = annual_table(actor, year)
    if file_format == "pdf":
        content = _pdf(table)
    else:
        lines = _lines(table)
        content = (
            write_csv(lines)
            if file_format == "csv"
            else write_xlsx(lines, sheet_title=_("Monitoring %(year)s") % {"year": year})
        )
    log_event(
        "monitoring.annual_exported",
        details={"year": year, "format": file_format, "operations": table.operations},
    )
    return ExportFile(
        content=content,
        content_type=FORMATS[file_format],
        filename=f"forced-return-monitoring-{year}.{file_format}",
    )


def _header() -> list[object]:
    return [
        _("Mission"),
        _("Removal operation"),
        _("Departure"),
        _("Type of operation"),
        _("Stages covered"),
        _("Number of monitors"),
        _("Findings"),
        _("Recommendations"),
        _("Report published"),
        _("Notice given (hours)"),
        _("Informed in time"),
    ]


def _in_time(row: OperationRow) -> str:
    if row.informed_in_time is None:
        return _("not recorded")
    return _("yes") if row.informed_in_time else _("no: informed late")


def _row(row: OperationRow) -> list[object]:
    return [
        row.mission,
        row.operation,
        row.departure,
        row.type_label,
        ", ".join(str(Stage(code).label) for code in row.stages),
        row.monitors,
        row.findings,
        row.recommendations,
        _("yes") if row.report_published else _("no"),
        row.notice_hours if row.notice_hours is not None else "",
        _in_time(row),
    ]


def totals(table: AnnualTable) -> list[list[object]]:
    lines: list[list[object]] = [[_("Operations monitored"), table.operations]]
    lines += [
        [_("Operations monitored: %(type)s") % {"type": kind.label}, table.by_type[kind]]
        for kind in RemovalOperation.Type
    ]
    lines += [
        [_("Stage covered: %(stage)s") % {"stage": stage.label}, table.by_stage[stage]]
        for stage in Stage
    ]
    lines += [
        [_("Monitors who took part"), table.monitors],
        [_("Findings"), table.findings],
        [_("Recommendations"), table.recommendations],
        [_("Reports published"), table.reports_published],
        [_("Operations of which the office was informed late"), table.informed_late],
    ]
    return lines


def _lines(table: AnnualTable) -> list[list[object]]:
    return [
        [_("Forced-return monitoring, %(year)s") % {"year": table.year}],
        _header(),
        *(_row(row) for row in table.rows),
        [],
        *totals(table),
    ]


def _pdf(table: AnnualTable) -> bytes:
    data: dict[str, Any] = {
        "lang": (translation_language() or "lv"),
        "title": _("Forced-return monitoring, %(year)s") % {"year": table.year},
        "subtitle": _("Operations monitored by the Ombudsman's Office; made %(date)s")
        % {"date": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
        "footer": _("Atpazīt · annual table of forced-return monitoring · no personal data"),
        "totals": [[str(label), str(value)] for label, value in totals(table)],
        "header": _header(),
        "rows": [[str(cell) for cell in _row(row)] for row in table.rows],
    }
    return render_pdf(TEMPLATE, data, what="the annual table", error=ValueError)


def translation_language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "lv").split("-")[0]
