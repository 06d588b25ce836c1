"""The statistics page: parse the period, call the selectors, turn codes into the reader's words.

Every figure links to the list behind it only for a reader with case-level access who may open
that list; a suppressed reader gets numbers only (docs/disclosure-control.md). Each view of the
page is audited with codes and counts, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.lib.errors import NotAllowed
from atpazit.stats import labels, selectors
from atpazit.stats.charts import Chart, bar_chart, shown
from atpazit.stats.disclosure import Series, Table
from atpazit.stats.forms import PeriodForm, year_choices


@dataclass(frozen=True)
class ChartBlock:
    id: str
    caption: str
    chart: Chart
    total: str
    total_link: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    total: str
    link: str
    charts: list[ChartBlock]


@dataclass(frozen=True)
class TableBlock:
    id: str
    caption: str
    row_header: str
    col_labels: list[str]
    rows: list[tuple[str, list[str], str]]
    totals: list[str]
    total: str


# The list behind a measure, and the permission needed to open it.
LISTS: dict[str, tuple[str, str]] = {
    selectors.PERSONS_SCREENED: ("screening:session_list", "screening.session:read"),
    selectors.SCREENINGS: ("screening:session_list", "screening.session:read"),
    selectors.SUSPICIONS: ("referrals:suspicion_list", "referrals.suspicion:read"),
    selectors.HOLDS: ("cases:person_list", "cases.person:read"),
}


def _link(actor: Actor, case_level: bool, measure: str, dimension: str = "", key: str = "") -> str:
    if not case_level or measure not in LISTS:
        return ""
    url_name, permission = LISTS[measure]
    if not actor.can(permission):
        return ""
    url = reverse(url_name)
    if dimension == "nationality" and key and actor.can("cases.person:read"):
        return reverse("cases:person_list") + "?" + urlencode({"nationality": key})
    if measure == selectors.HOLDS:
        return url + "?" + urlencode({"hold": "yes"})
    return url


def _chart(
    actor: Actor,
    case_level: bool,
    measure: str,
    dimension: str,
    series: Series,
    organisations: dict[str, str],
) -> ChartBlock:
    rows = [
        (
            labels.category(dimension, key, organisations),
            cell,
            _link(actor, case_level, measure, dimension, key) if cell.value else "",
        )
        for key, cell in series.items()
    ]
    return ChartBlock(
        id=f"{measure}-{dimension}",
        caption=f"{labels.MEASURES.get(measure, measure)}, {labels.DIMENSIONS.get(dimension, dimension)}",
        chart=bar_chart(rows, series.k),
        total=shown(series.total, series.k),
        total_link=_link(actor, case_level, measure),
    )


def _table(
    block_id: str, caption: str, row_dimension: str, col_dimension: str, table: Table, header: str
) -> TableBlock:
    return TableBlock(
        id=block_id,
        caption=caption,
        row_header=header,
        col_labels=[labels.category(col_dimension, key) for key in table.col_keys],
        rows=[
            (
                labels.category(row_dimension, key),
                [shown(cell, table.k) for cell in table.cells[i]],
                shown(table.row_totals[i], table.k),
            )
            for i, key in enumerate(table.row_keys)
        ],
        totals=[shown(cell, table.k) for cell in table.col_totals],
        total=shown(table.total, table.k),
    )


@requires(selectors.VIEW)
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    try:
        reader = selectors.reader_for(actor)
    except NotAllowed as exc:
        raise Http404 from exc
    form = PeriodForm(request.GET or None, free_period=reader.case_level)
    period = form.period()
    board = selectors.dashboard(actor, period, shown_on="stats:dashboard")
    organisations = selectors.organisation_names(
        key
        for measure in board.measures
        for breakdown in measure.breakdowns
        if breakdown.dimension == selectors.ORGANISATION
        for key in breakdown.series.keys
    )
    sections = [
        Section(
            id=measure.code,
            title=str(labels.MEASURES[measure.code]),
            total=shown(measure.total, board.k),
            link=_link(actor, reader.case_level, measure.code),
            charts=[
                _chart(
                    actor,
                    reader.case_level,
                    measure.code,
                    breakdown.dimension,
                    breakdown.series,
                    organisations,
                )
                for breakdown in measure.breakdowns
            ],
        )
        for measure in board.measures
    ]
    tables = [
        _table(
            "recommendations-decisions",
            _("The engine's recommendation and the screener's decision"),
            "recommendation",
            "decision",
            board.recommendations_vs_decisions,
            _("Recommendation"),
        ),
        _table(
            "referral-outcomes",
            _("Referrals sent, by track and where they stand now"),
            "track",
            "status",
            board.referral_outcomes,
            _("Track"),
        ),
    ]
    overdue = _chart(actor, False, "overdue", "deadline", board.overdue_deadlines, organisations)
    context: dict[str, Any] = {
        "form": form,
        "board": board,
        "period": period,
        "sections": sections,
        "tables": tables,
        "durations": [
            (str(labels.DURATIONS[d.code]), shown(d.count, board.k), d.median_days, d.p90_days)
            for d in board.durations
        ],
        "coverage": board.coverage,
        "coverage_operations": shown(board.coverage.operations, board.k),
        "coverage_monitored": shown(board.coverage.monitored, board.k),
        "overdue": overdue,
        "years": year_choices(),
        "case_level": reader.case_level,
        "can_official": actor.can("stats.official:read"),
    }
    return render(request, "stats/dashboard.html", context)
