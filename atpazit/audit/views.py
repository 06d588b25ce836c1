from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.forms import AuditFilterForm
from atpazit.audit.selectors import audit_trail_for, disclosure_log_for, disclosure_rows
from atpazit.lib.pages import query_without_page

PAGE_SIZE = 50


@requires("audit.event:read")
def event_list_view(request: HttpRequest) -> HttpResponse:
    """The auditor's filterable view of the trail: codes and ids, never case content."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_trail_for(actor_for(request), filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(request, "audit/event_list.html", {"form": form, "page": page, "query": query})


@requires("audit.event:read")
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    """The disclosure log: who gave what kind of data to whom, on which legal basis, why."""
    case_number = request.GET.get("case_number", "").strip()
    actor = actor_for(request)
    disclosures = disclosure_log_for(actor, case_number=case_number)
    page = Paginator(disclosures, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = disclosure_rows(actor, page.object_list)
    return render(
        request,
        "audit/disclosure_list.html",
        {"page": page, "rows": rows, "case_number": case_number},
    )
