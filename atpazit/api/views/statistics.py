"""Statistics: the figures of the statistics page and the official annual tables, as JSON.

The same selectors as the pages (``stats.selectors.dashboard``, ``stats.official.official_tables``),
so the same disclosure control applies (docs/disclosure-control.md): a reader without case-level
access (the national coordinator) gets national figures with cells below k hidden, and whole
calendar years only; a case-level reader gets exact figures of their own scope for any period.
A hidden figure is ``{"value": null, "suppressed": true}`` — never a 0, which is a figure shown.
Each read is audited by the selector as on the page (``stats.dashboard_viewed``,
``stats.official_viewed``) with the period and counts only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from atpazit.api.framework import ApiError, actor_of, answers, token
from atpazit.lib.errors import NotAllowed
from atpazit.stats import labels, official, selectors
from atpazit.stats.disclosure import Cell, Series, Table
from atpazit.stats.forms import EARLIEST, FIRST_YEAR, LATEST, PeriodForm, year_choices

router = Router(tags=["statistics"])


class FigureOut(Schema):
    """One published figure. ``value`` is null exactly when ``suppressed`` is true: hidden by
    disclosure control (below k, or hidden to protect another cell; the two look alike)."""

    value: int | None
    suppressed: bool


class CategoryOut(Schema):
    key: str
    label: str
    figure: FigureOut


class BreakdownOut(Schema):
    dimension: str
    label: str
    categories: list[CategoryOut]
    total: FigureOut


class MeasureOut(Schema):
    code: str
    label: str
    total: FigureOut
    breakdowns: list[BreakdownOut]


class TableRowOut(Schema):
    key: str
    label: str
    cells: list[FigureOut]
    total: FigureOut


class TableOut(Schema):
    code: str
    label: str
    columns: list[CategoryOut] = Field(
        ..., description="The column keys and labels; ``figure`` is the column's total."
    )
    rows: list[TableRowOut]
    total: FigureOut


class DurationOut(Schema):
    code: str
    label: str
    count: FigureOut
    median_days: float | None = Field(
        ..., description="Null when no case stands behind it, or when ``count`` is suppressed."
    )
    p90_days: float | None


class CoverageOut(Schema):
    operations: FigureOut
    monitored: FigureOut
    share_percent: float | None


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    year: int | None


class StatisticsOut(Schema):
    period: PeriodOut
    suppressed: bool = Field(
        ..., description="Whether disclosure control was applied (no case-level access)."
    )
    k: int = Field(..., description="The smallest figure shown when ``suppressed``.")
    hidden: int = Field(..., description="How many figures are hidden.")
    generated_at: dt.datetime
    counted_at: dt.datetime = Field(
        ...,
        description=(
            "When the period's figures were counted: ``generated_at`` when counted for this "
            "answer, earlier when they are a closed year's or the current year's stored counts "
            "(national figures only; the overdue deadlines are always counted now)."
        ),
    )
    recounted_every_minutes: int | None = Field(
        ...,
        description=(
            "Set when the figures are the current year's stored count: it is counted again "
            "this often, and never shown when older than twice this."
        ),
    )
    measures: list[MeasureOut]
    tables: list[TableOut]
    durations: list[DurationOut]
    coverage: CoverageOut
    overdue_deadlines: BreakdownOut


class StatisticsQuery(Schema):
    year: int | None = Field(
        None, ge=FIRST_YEAR, le=2100, description="A calendar year (this year by default)."
    )
    start: dt.date | None = Field(
        None,
        ge=EARLIEST,
        le=LATEST,
        description="First day of a free period: only with case-level access, with ``end``.",
    )
    end: dt.date | None = Field(None, ge=EARLIEST, le=LATEST, description="Last day of it.")


class OfficialTableOut(Schema):
    code: str
    title: str
    columns: list[CategoryOut]
    rows: list[TableRowOut]
    total: FigureOut


class OfficialOut(Schema):
    year: int
    k: int
    hidden: int
    tables: list[OfficialTableOut]


def figure(cell: Cell) -> dict[str, Any]:
    return {"value": cell.value, "suppressed": cell.suppressed}


def series_out(
    dimension: str, series: Series, organisations: dict[str, str], label: str = ""
) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "label": label or str(labels.DIMENSIONS.get(dimension, dimension)),
        "categories": [
            {
                "key": key,
                "label": labels.category(dimension, key, organisations),
                "figure": figure(cell),
            }
            for key, cell in series.items()
        ],
        "total": figure(series.total),
    }


def table_out(
    code: str, label: str, row_dimension: str, col_dimension: str, table: Table
) -> dict[str, Any]:
    return {
        "code": code,
        "label": label,
        "columns": [
            {"key": key, "label": labels.category(col_dimension, key), "figure": figure(total)}
            for key, total in zip(table.col_keys, table.col_totals, strict=True)
        ],
        "rows": [
            {
                "key": key,
                "label": labels.category(row_dimension, key),
                "cells": [figure(cell) for cell in table.cells[i]],
                "total": figure(table.row_totals[i]),
            }
            for i, key in enumerate(table.row_keys)
        ],
        "total": figure(table.total),
    }


def _period(reader: selectors.Reader, query: StatisticsQuery) -> selectors.Period:
    """The period as the statistics page's form reads it; a reader without case-level access
    who sends dates is refused rather than silently given the year (the page drops them)."""
    if reader.suppressed and (query.start or query.end):
        raise NotAllowed(_("Statistics without case-level access are by calendar year."))
    data = {
        name: value.isoformat() if isinstance(value, dt.date) else str(value)
        for name, value in (("year", query.year), ("start", query.start), ("end", query.end))
        if value is not None
    }
    form = PeriodForm(data, free_period=reader.case_level)
    if not form.is_valid():
        fields = {
            ("period" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
        detail = " ".join(f"{name}: {' '.join(m)}" for name, m in fields.items())
        raise ApiError(422, "invalid", detail, fields)
    return form.period()


@router.get(
    "/statistics",
    response=answers(StatisticsOut),
    auth=token(selectors.VIEW),
    url_name="statistics",
    summary="The figures of the statistics page, suppressed as the page suppresses them",
)
def statistics_endpoint(request: HttpRequest, query: Query[StatisticsQuery]) -> dict[str, Any]:
    """Every figure of the statistics page for a period. Without case-level access (the
    national coordinator): national figures for a whole calendar year (``year``; ``start`` and
    ``end`` are refused with 403 ``not_allowed``), by citizenship group, with small cells
    hidden. With it: exact figures of the token's scope, for a year or any ``start``–``end``."""
    actor = actor_of(request)
    reader = selectors.reader_for(actor)
    period = _period(reader, query)
    board = selectors.dashboard(actor, period, shown_on="api:v1:statistics")  # audited
    organisations = selectors.organisation_names(
        key
        for measure in board.measures
        for breakdown in measure.breakdowns
        if breakdown.dimension == selectors.ORGANISATION
        for key in breakdown.series.keys
    )
    return {
        "period": {"start": period.start, "end": period.end, "year": period.year},
        "suppressed": board.suppressed,
        "k": board.k,
        "hidden": board.hidden(),
        "generated_at": board.generated_at,
        "counted_at": board.counted_at,
        "recounted_every_minutes": board.recounted_every,
        "measures": [
            {
                "code": measure.code,
                "label": str(labels.MEASURES.get(measure.code, measure.code)),
                "total": figure(measure.total),
                "breakdowns": [
                    series_out(b.dimension, b.series, organisations) for b in measure.breakdowns
                ],
            }
            for measure in board.measures
        ],
        "tables": [
            table_out(
                "recommendations_vs_decisions",
                _label("recommendations"),
                "recommendation",
                "decision",
                board.recommendations_vs_decisions,
            ),
            table_out(
                "referral_outcomes",
                _label("referrals"),
                "track",
                "status",
                board.referral_outcomes,
            ),
        ],
        "durations": [
            {
                "code": d.code,
                "label": str(labels.DURATIONS.get(d.code, d.code)),
                "count": figure(d.count),
                "median_days": d.median_days,
                "p90_days": d.p90_days,
            }
            for d in board.durations
        ],
        "coverage": {
            "operations": figure(board.coverage.operations),
            "monitored": figure(board.coverage.monitored),
            "share_percent": board.coverage.share,
        },
        "overdue_deadlines": series_out(
            "deadline", board.overdue_deadlines, organisations, str(labels.MEASURES["overdue"])
        ),
    }


def _label(table: str) -> str:
    """The captions of the page's two tables (the same strings, so the same translations)."""
    if table == "recommendations":
        return _("The engine's recommendation and the screener's decision")
    return _("Referrals sent, by track and where they stand now")


@router.get(
    "/statistics/official/{int:year}",
    response=answers(OfficialOut, 404),
    auth=token(official.EXPORT),
    url_name="statistics_official",
    summary="The official annual tables (Eurostat, GRETA) of a year, suppressed",
)
def official_statistics_endpoint(request: HttpRequest, year: int) -> dict[str, Any]:
    """The tables the official-tables page shows and its downloads contain, for the roles that
    may download them: registered victims (identified, presumed) by sex, children and adults,
    citizenship group, form of exploitation, assistance and residence permits. Always
    suppressed (k); a year before 2011 or after this one is 404 as on the page."""
    actor = actor_of(request)
    if not FIRST_YEAR <= year <= max(year_choices()):
        raise Http404
    result = official.official_tables(actor, year, shown_on="api:v1:statistics_official")
    return {
        "year": result.year,
        "k": result.k,
        "hidden": result.hidden(),
        "tables": [
            {
                "code": name,
                "title": official.table_title(name),
                "columns": [
                    {
                        "key": code,
                        "label": official.column_label(name, code),
                        "figure": figure(total),
                    }
                    for code, total in zip(table.col_keys, table.col_totals, strict=True)
                ],
                "rows": [
                    {
                        "key": status,
                        "label": official.status_label(status),
                        "cells": [figure(cell) for cell in table.cells[i]],
                        "total": figure(table.row_totals[i]),
                    }
                    for i, status in enumerate(table.row_keys)
                ],
                "total": figure(table.total),
            }
            for name, table in result.tables.items()
        ],
    }
