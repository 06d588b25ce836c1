"""The manifest export (CSV or XLSX) of one operation.

Decision (DESIGN §7, "exports show the pseudonymous case number, not names"): the export never
contains names, dates of birth or contact details — only the case number and the facts the
escort plans with (nationality, sex, year of birth, child path, interpreter, language, hold and
screening status). A file that leaves the system by e-mail or USB stick then identifies nobody
by itself; the escort looks people up on their person pages. Every cell goes through
``neutralise_formula`` (via ``write_csv``/``write_xlsx``), and every export is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.spreadsheet import write_csv, write_xlsx
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import ManifestRow, pre_departure_check

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_manifest(*, actor: Actor, operation: RemovalOperation, file_format: str) -> ExportFile:
    """Build the manifest export of an operation the actor may see; audited as a disclosure
    of case numbers. Raises ValueError for a format other than "csv" or "xlsx"."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    rows = pre_departure_check(operation).rows
    table: list[list[object]] = [_header(), *(_line(row) for row in rows)]
    content = (
        write_csv(table) if file_format == "csv" else write_xlsx(table, sheet_title=_("Manifest"))
    )
    log_event(
        "manifest.exported",
        obj=operation,
        details={"format": file_format, "persons": len(rows)},
    )
    day = timezone.localtime(operation.departure_at).strftime("%Y-%m-%d")
    filename = f"manifest-{operation.pk}-{day}.{file_format}"
    return ExportFile(content=content, content_type=FORMATS[file_format], filename=filename)


def _header() -> list[object]:
    return [
        _("case number"),
        _("nationality"),
        _("sex"),
        _("year of birth"),
        _("child path"),
        _("interpreter needed"),
        _("preferred language"),
        _("active removal hold"),
        _("screening"),
        # R7: the escort leader's copy must not lose the advice to defer (advice, not a hold).
        _("interview before departure"),
    ]


def _line(row: ManifestRow) -> list[object]:
    person = row.person
    return [
        person.case_number,
        person.nationality,
        person.get_sex_display(),
        person.birth_year,
        _yes_no(row.is_child),
        _yes_no(person.interpreter_needed),
        person.preferred_language,
        _yes_no(row.is_held),  # a hold; an unscreened child is a conflict, not a hold
        str(row.screening.label),
        _yes_no(row.interview_before_departure),
    ]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
