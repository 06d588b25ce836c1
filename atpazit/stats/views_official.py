"""The official annual tables (Eurostat, GRETA) for a chosen year, and their downloads.

A download is a POST with its CSRF token (the buttons on the page), never a GET: every download
is audited and logged as a disclosure, so a link or an image on another site, or a browser's
prefetch, must not be able to start one in the coordinator's name. A GET shows the tables."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.errors import NotAllowed
from atpazit.stats import official
from atpazit.stats.forms import FIRST_YEAR, year_choices


@requires(official.READ)
@require_GET
def official_index_view(request: HttpRequest) -> HttpResponse:
    """Last year's tables (the year usually reported)."""
    return redirect("stats:official", year=official.default_year())


@requires(official.READ)
@require_http_methods(["GET", "POST"])
def official_view(request: HttpRequest, year: int) -> HttpResponse:
    """GET: the tables of the year; POST (``format``: csv, xlsx or pdf): their download."""
    actor = actor_for(request)
    if not FIRST_YEAR <= year <= max(year_choices()):
        raise Http404
    if request.method == "POST":
        file_format = request.POST.get("format", "")
        if file_format not in official.FORMATS:
            raise Http404
        try:
            export = official.export_official_tables(
                actor=actor, year=year, file_format=file_format
            )
        except NotAllowed as exc:
            raise Http404 from exc
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    result = official.official_tables(actor, year, shown_on="stats:official")
    tables = [
        {
            "id": name,
            "title": official.table_title(name),
            "header": [official.column_label(name, code) for code in table.col_keys],
            "rows": [
                (
                    official.status_label(status),
                    [official.shown(cell, result.k) for cell in table.cells[i]],
                    official.shown(table.row_totals[i], result.k),
                )
                for i, status in enumerate(table.row_keys)
            ],
            "totals": [official.shown(cell, result.k) for cell in table.col_totals],
            "total": official.shown(table.total, result.k),
        }
        for name, table in result.tables.items()
    ]
    return render(
        request,
        "stats/official.html",
        {
            "year": year,
            "result": result,
            "tables": tables,
            "years": year_choices(),
            "can_export": actor.can(official.EXPORT),
        },
    )
