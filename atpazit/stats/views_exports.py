"""The de-identified case-level export (HTCDS-aligned JSON): a page to choose the year, and the
download, streamed record by record (stats/htcds.py, docs/htcds-export.md).

The download is a POST with its CSRF token, never a GET: every download is audited and logged
as a disclosure, so a link or an image on another site, or a browser's prefetch, must not be able
to start one in the coordinator's name. A GET only shows the form (``?year=`` is ignored)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.errors import InvalidInput
from atpazit.lib.forms import add_service_error
from atpazit.stats import htcds
from atpazit.stats.forms_exports import HtcdsExportForm


@requires(htcds.EXPORT_PERMISSION)
@require_http_methods(["GET", "POST"])
def htcds_export(request: HttpRequest) -> HttpResponseBase:
    """GET: the form; POST: the export of the year chosen, as a JSON download."""
    data = request.POST if request.method == "POST" else None
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
        status=400 if form.is_bound else 200,
    )
