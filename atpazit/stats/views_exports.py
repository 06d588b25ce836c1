"""The de-identified case-level export (HTCDS-aligned JSON): a page to choose the year, and the
download, streamed record by record (stats/htcds.py, docs/htcds-export.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.errors import InvalidInput
from atpazit.lib.forms import add_service_error
from atpazit.stats import htcds
from atpazit.stats.forms_exports import HtcdsExportForm


@requires(htcds.EXPORT_PERMISSION)
def htcds_export(request: HttpRequest) -> HttpResponseBase:
    """With ``?year=``, the export of that year as a JSON download; otherwise the form."""
    data = request.GET if "year" in request.GET else None
    form = HtcdsExportForm(data, initial={"year": timezone.localdate().year - 1})
    if form.is_valid():
        try:
            export = htcds.start_htcds_export(
                actor=actor_for(request), year=form.cleaned_data["year"]
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            response = StreamingHttpResponse(
                export.chunks(), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "stats/htcds_export.html",
        {"form": form, "k": htcds.min_cell()},
    )
