"""The official annual tables: what Eurostat (``crim_thb``) and GRETA ask of a member state about
registered victims (domain.md §4.3), for one calendar year, always suppressed.

A **registered victim** is identified or presumed (Eurostat): a suspicion raised in the year
counts as *identified* when the provider's commission recognised the person (a provider track
ended "recognised") or the police recognised them as a victim (cietušais); as *presumed*
otherwise, unless the suspicion was closed as "not a victim". Each suspicion is one
registration: a person registered twice in one year (two episodes) counts twice, so every
table is a partition of the same registrations and its totals are the same figures in each.

The tables share their rows (identified, presumed) and so their row totals and grand total:
they are suppressed together (``disclosure.protect_linked_tables``), so no table gives away
what another hides. Every table of this module is published suppressed, to whoever reads it:
it is made for export. Counting is SQL (GROUP BY over an annotated queryset).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.aftercare.models import Rehabilitation, ResidencePermit, ServiceDecision
from atpazit.audit.services import log_event
from atpazit.lib.errors import NotAllowed
from atpazit.lib.pdf import render_pdf
from atpazit.lib.spreadsheet import write_csv, write_xlsx
from atpazit.referrals.models import PoliceOutcome, Referral, Suspicion
from atpazit.reflection.models import ReflectionPeriod
from atpazit.screening.catalogue import Form
from atpazit.screening.models import ScreeningSession
from atpazit.stats import disclosure
from atpazit.stats.disclosure import Table, min_cell, protect_linked_tables
from atpazit.stats.selectors import Period, citizenship_expression

READ = "stats.official:read"
EXPORT = "stats.official:export"
TEMPLATE = Path(__file__).resolve().parent / "documents" / "annual_statistics.typ"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

IDENTIFIED = "identified"
PRESUMED = "presumed"
NOT_REGISTERED = "not_registered"
STATUSES = (IDENTIFIED, PRESUMED)
NOT_A_VICTIM = (
    Suspicion.ClosureReason.NOT_A_VICTIM,
    Suspicion.ClosureReason.NOT_A_VICTIM_LABOUR,
)

# Eurostat's forms of exploitation, from the form the screening recorded.
SEXUAL, LABOUR, OTHER_FORM, UNKNOWN = "sexual", "labour", "other", "unknown"
FORM_GROUPS = {
    Form.SEXUAL: SEXUAL,
    Form.LABOUR: LABOUR,
    Form.DOMESTIC_SERVITUDE: LABOUR,
    Form.CRIMINALITY: OTHER_FORM,
    Form.BEGGING: OTHER_FORM,
    Form.SHAM_MARRIAGE: OTHER_FORM,
    Form.FORCED_MARRIAGE: OTHER_FORM,
    Form.ILLEGAL_ADOPTION: OTHER_FORM,
    Form.ORGAN_REMOVAL: OTHER_FORM,
    Form.UNKNOWN: UNKNOWN,
}
YES, NO = "yes", "no"
NONE = "none"

# The tables, in the order published: code -> the column codes.
TABLES: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male", "other", "unknown"),
    "age": ("child", "adult"),
    "citizenship": disclosure.CITIZENSHIP_GROUPS,
    "form": (SEXUAL, LABOUR, OTHER_FORM, UNKNOWN),
    "reflection": (YES, NO),
    "siva_service": (YES, NO),
    "rehabilitation": (YES, NO),
    "residence_permit": (
        ResidencePermit.Status.GRANTED,
        ResidencePermit.Status.REQUESTED,
        ResidencePermit.Status.REFUSED,
        NONE,
    ),
}


@dataclass(frozen=True)
class OfficialTables:
    year: int
    k: int
    tables: dict[str, Table]

    @property
    def total(self) -> disclosure.Cell:
        return next(iter(self.tables.values())).total

    def hidden(self) -> int:
        return sum(table.hidden for table in self.tables.values())


def _check(actor: Actor, permission: str) -> None:
    if actor.organisation is None or not actor.can(permission):
        raise NotAllowed(_("Your role does not allow this."))


def registrations(year: int) -> QuerySet[Suspicion]:
    """Suspicions raised in ``year`` annotated with their registration status and every column
    key the tables group by (all SQL expressions)."""
    start, end = Period.calendar_year(year).bounds()
    recognised = Referral.objects.filter(
        suspicion=OuterRef("pk"), status=Referral.Status.RECOGNISED
    )
    police_recognised = PoliceOutcome.objects.filter(
        referral__suspicion=OuterRef("pk"),
        victim_status=PoliceOutcome.VictimStatus.RECOGNISED,
    )
    latest_form = (
        ScreeningSession.objects.filter(person=OuterRef("person"), completed_at__isnull=False)
        .order_by("-completed_at", "-pk")
        .values("exploitation_form")[:1]
    )
    latest_permit = (
        ResidencePermit.objects.filter(suspicion=OuterRef("pk"))
        .order_by("-status_on", "-pk")
        .values("status")[:1]
    )
    form_group = Case(
        *(
            When(_form=form.value, then=Value(group))
            for form, group in FORM_GROUPS.items()
            if group != UNKNOWN
        ),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )
    return (
        Suspicion.objects.filter(raised_at__gte=start, raised_at__lt=end)
        .annotate(
            _status=Case(
                When(Q(Exists(recognised)) | Q(Exists(police_recognised)), then=Value(IDENTIFIED)),
                When(closure_reason__in=NOT_A_VICTIM, then=Value(NOT_REGISTERED)),
                default=Value(PRESUMED),
                output_field=CharField(),
            ),
            _form=Subquery(latest_form),
            _permit=Subquery(latest_permit),
        )
        .filter(_status__in=STATUSES)
        .annotate(
            _sex=Case(
                *(When(person__sex=code, then=Value(code)) for code in TABLES["sex"]),
                default=Value("unknown"),
                output_field=CharField(),
            ),
            _age=Case(
                When(child_path=True, then=Value("child")),
                default=Value("adult"),
                output_field=CharField(),
            ),
            _citizenship=citizenship_expression("person__"),
            _form_group=form_group,
            _reflection=_yes_no(ReflectionPeriod.objects.filter(suspicion=OuterRef("pk"))),
            _siva_service=_yes_no(
                ServiceDecision.objects.filter(
                    suspicion=OuterRef("pk"), decision=ServiceDecision.Decision.ASSIGNED
                )
            ),
            _rehabilitation=_yes_no(Rehabilitation.objects.filter(suspicion=OuterRef("pk"))),
            _residence_permit=Case(
                When(_permit__isnull=True, then=Value(NONE)),
                default="_permit",
                output_field=CharField(),
            ),
        )
    )


def _yes_no(queryset: QuerySet[Any]) -> Case:
    return Case(
        When(Exists(queryset), then=Value(YES)), default=Value(NO), output_field=CharField()
    )


_GROUP_BY = {
    "sex": "_sex",
    "age": "_age",
    "citizenship": "_citizenship",
    "form": "_form_group",
    "reflection": "_reflection",
    "siva_service": "_siva_service",
    "rehabilitation": "_rehabilitation",
    "residence_permit": "_residence_permit",
}


def count_tables(year: int) -> dict[str, list[list[int]]]:
    """Per table, the counts by status (rows) and column: one GROUP BY query each."""
    base = registrations(year)
    counted: dict[str, list[list[int]]] = {}
    for name, columns in TABLES.items():
        counts = [[0] * len(columns) for _ in STATUSES]
        rows = base.values("_status", _GROUP_BY[name]).annotate(_n=Count("pk")).order_by()
        for row in rows:
            column = row[_GROUP_BY[name]]
            if column in columns:
                counts[STATUSES.index(row["_status"])][columns.index(column)] += row["_n"]
        counted[name] = counts
    return counted


def official_tables(actor: Actor, year: int, *, shown_on: str | None = None) -> OfficialTables:
    """The tables of ``year``, suppressed; the read is audited when ``shown_on`` names a page."""
    _check(actor, READ)
    k = min_cell()
    counted = count_tables(year)
    tables = protect_linked_tables(
        STATUSES, {name: (TABLES[name], counts) for name, counts in counted.items()}, k=k
    )
    result = OfficialTables(year=year, k=k, tables=tables)
    if shown_on:
        log_event(
            "stats.official_viewed",
            details={"page": shown_on, "year": year, "k": k, "hidden": result.hidden()},
        )
    return result


# --- labels and files ---------------------------------------------------------------------------


def table_title(name: str) -> str:
    return {
        "sex": _("Registered victims by sex"),
        "age": _("Registered victims, children and adults"),
        "citizenship": _("Registered victims by citizenship"),
        "form": _("Registered victims by form of exploitation"),
        "reflection": _("Registered victims granted a reflection period"),
        "siva_service": _("Registered victims assigned state-funded social rehabilitation (SIVA)"),
        "rehabilitation": _("Registered victims who started social rehabilitation"),
        "residence_permit": _("Registered victims and residence permits (latest decision)"),
    }[name]


def column_label(name: str, code: str) -> str:
    from atpazit.stats import labels

    if name == "sex":
        return labels.category("sex", code)
    if name == "citizenship":
        return labels.category("citizenship", code)
    return {
        "child": _("children"),
        "adult": _("adults"),
        SEXUAL: _("sexual exploitation"),
        LABOUR: _("labour exploitation"),
        OTHER_FORM: _("other forms of exploitation"),
        UNKNOWN: pgettext("form of exploitation", "not known"),
        YES: _("yes"),
        NO: _("no"),
        NONE: _("no application recorded"),
        ResidencePermit.Status.GRANTED: _("permit granted"),
        ResidencePermit.Status.REQUESTED: _("permit requested, no decision yet"),
        ResidencePermit.Status.REFUSED: _("permit refused"),
    }.get(code, code)


def status_label(code: str) -> str:
    return _("identified victims") if code == IDENTIFIED else _("presumed victims")


def shown(cell: disclosure.Cell, k: int) -> str:
    from atpazit.stats.charts import shown as chart_shown

    return chart_shown(cell, k)


def lines(result: OfficialTables) -> list[list[object]]:
    """Every table as rows of cells (a title row, a header, the status rows, the totals)."""
    out: list[list[object]] = [
        [_("Registered victims of trafficking in human beings, %(year)s") % {"year": result.year}],
        [
            _(
                "Disclosure control: figures below %(k)s are not shown, and some others are "
                "hidden so that they cannot be worked out from the totals."
            )
            % {"k": result.k}
        ],
    ]
    for name, table in result.tables.items():
        out.append([])
        out.append([table_title(name)])
        out.append(
            [
                _("Registration"),
                *(column_label(name, code) for code in table.col_keys),
                _("Total"),
            ]
        )
        for i, status in enumerate(table.row_keys):
            out.append(
                [
                    status_label(status),
                    *(_cell(cell, result.k) for cell in table.cells[i]),
                    _cell(table.row_totals[i], result.k),
                ]
            )
        out.append(
            [
                _("registered victims"),
                *(_cell(cell, result.k) for cell in table.col_totals),
                _cell(table.total, result.k),
            ]
        )
    return out


def _cell(cell: disclosure.Cell, k: int) -> object:
    """A number stays a number in a spreadsheet; a hidden one says why."""
    return cell.value if cell.value is not None else shown(cell, k)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_official_tables(*, actor: Actor, year: int, file_format: str) -> ExportFile:
    """The tables as CSV, XLSX or PDF (the annual statistics report); audited."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    _check(actor, EXPORT)
    result = official_tables(actor, year)
    if file_format == "pdf":
        content = _pdf(result)
    elif file_format == "csv":
        content = write_csv(lines(result))
    else:
        content = write_xlsx(lines(result), sheet_title=_("Victims %(year)s") % {"year": year})
    log_event(
        "stats.official_exported",
        details={"year": year, "format": file_format, "k": result.k, "hidden": result.hidden()},
    )
    return ExportFile(
        content=content,
        content_type=FORMATS[file_format],
        filename=f"registered-victims-{year}.{file_format}",
    )


def _pdf(result: OfficialTables) -> bytes:
    tables = []
    for name, table in result.tables.items():
        header = [_("Registration"), *(column_label(name, c) for c in table.col_keys), _("Total")]
        rows = [
            [
                status_label(status),
                *(shown(cell, result.k) for cell in table.cells[i]),
                shown(table.row_totals[i], result.k),
            ]
            for i, status in enumerate(table.row_keys)
        ]
        rows.append(
            [
                _("registered victims"),
                *(shown(cell, result.k) for cell in table.col_totals),
                shown(table.total, result.k),
            ]
        )
        tables.append({"title": table_title(name), "header": header, "rows": rows})
    data: dict[str, Any] = {
        "lang": (get_language() or "lv").split("-")[0],
        "title": _("Annual statistics on trafficking in human beings, %(year)s")
        % {"year": result.year},
        "subtitle": _("Registered victims (identified and presumed); made %(date)s")
        % {"date": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
        "method": _(
            "Disclosure control: figures below %(k)s are not shown, and some others are "
            "hidden so that they cannot be worked out from the totals. A registered victim is "
            "identified (recognised by a provider's commission or by the police) or presumed "
            "(a suspicion of trafficking that was not closed as not a victim)."
        )
        % {"k": result.k},
        "footer": _("Atpazīt · annual statistics · no personal data"),
        "tables": tables,
    }
    return render_pdf(TEMPLATE, data, what="the annual statistics", error=ValueError)


def default_year() -> int:
    """Last year: the year official statistics are usually asked for."""
    return timezone.localdate().year - 1
