from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.forms import AuditFilterForm
from atpazit.audit.selectors import audit_events_visible_to, disclosures_visible_to, filter_events
from atpazit.audit.services import log_event

PAGE_SIZE = 50


@requires("audit.event:read")
def event_list_view(request: HttpRequest) -> HttpResponse:
    """The auditor's filterable view of the trail: codes and ids, never case content."""
    form = AuditFilterForm(request.GET or None)
    events = audit_events_visible_to(actor_for(request))
    filters = form.cleaned_data if form.is_valid() else {}
    events = filter_events(events, **{k: v for k, v in filters.items() if v})
    # Audit the reading first: an event appended after the page is counted would push the
    # oldest one off a short page.
    log_event("audit.viewed", details={k: str(v) for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/event_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@requires("audit.event:read")
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    """The disclosure log: who gave what kind of data to whom, on which legal basis, why."""
    disclosures = disclosures_visible_to(actor_for(request))
    case_number = request.GET.get("case_number", "").strip()
    if case_number:
        disclosures = disclosures.filter(case_number=case_number)
    page = Paginator(disclosures, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event("disclosures.viewed", details={"case_number": case_number} if case_number else {})
    return render(request, "audit/disclosure_list.html", {"page": page, "case_number": case_number})
