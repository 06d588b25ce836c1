"""Return-case pages: list and search, register, person page, edit, status, holds.

Views parse input, call a selector or a service, and render. Every page that shows personal
data is audited (I7); a person outside the actor's scope is a 404 (I6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.services import log_event
from atpazit.cases import geo, services
from atpazit.cases.forms import (
    IdentityDecisionForm,
    PersonFilterForm,
    PersonForm,
    PlaceHoldForm,
    ReleaseHoldForm,
    StatusChangeForm,
)
from atpazit.cases.holds import RemovalBlocked, release_blockers
from atpazit.cases.models import TRANSITIONS, Person
from atpazit.cases.notices import record_notices
from atpazit.cases.rules import DetentionAlert, detention_alert, is_child
from atpazit.cases.selectors import (
    get_age_change_for_user,
    get_hold_for_user,
    get_person_for_user,
    get_person_page,
    get_possible_duplicate_for_user,
    is_case_number_query,
    other_records_shown,
    pending_age_changes,
    person_list,
    possible_duplicates_for,
)
from atpazit.lib import crypto
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import add_service_error, run_service_telling, service_errors
from atpazit.lib.pages import query_without_page

PAGE_SIZE = 50
# The list counts at most this many cases past the start of the page asked for and then says
# "more than …": an exact count of a large unit reads every matching row (DESIGN.md §9).
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator that counts at most ``limit`` rows (the rows before the requested page plus
    ``COUNT_CAP``), so every page up to the requested one and the next stay reachable while
    the count costs the same for a unit of 10,000 or of 300,000 cases. ``capped`` tells whether
    there are more rows than ``count``."""

    def __init__(self, object_list: Any, per_page: int, *, requested_page: Any = None) -> None:
        super().__init__(object_list, per_page)
        try:
            page = max(int(requested_page), 1)
        except (TypeError, ValueError):
            page = 1
        self.limit = (page - 1) * per_page + COUNT_CAP
        self.capped = False

    @cached_property
    def count(self) -> int:
        # Only the primary keys, without ordering or annotations, up to one past the limit.
        queryset = cast(QuerySet[Any], self.object_list)
        found = queryset.order_by().values("pk")[: self.limit + 1].count()
        self.capped = found > self.limit
        return min(found, self.limit)


SORTABLE_COLUMNS = ("case_number", "nationality", "status", "planned_removal_date")


@dataclass(frozen=True)
class PersonRow:
    person: Person
    child: bool
    alert: DetentionAlert | None


@dataclass(frozen=True)
class SortLink:
    column: str
    query: str
    aria_sort: str


def _sort_links(request: HttpRequest, current: str) -> dict[str, SortLink]:
    links = {}
    for column in SORTABLE_COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{column}" if current == column else column
        state = {column: "ascending", f"-{column}": "descending"}.get(current, "none")
        links[column] = SortLink(column, query.urlencode(), state)
    return links


# The search text may be a name: it is kept in the session, never in the address (so not in
# the browser's history, bookmarks or a server's access log), and encrypted there with the field
# key (a session row is not a place for a name in clear). The other filters are codes; a case
# number may come in the address as ``?case=`` (the escalation list links a case that way), for
# that page only.
SEARCH_SESSION_KEY = "cases.person_search"
SEARCH_CONTEXT = "session.cases.person_search"
NOT_FILTERS = ("q", "case", "clear", "page", "csrfmiddlewaretoken")


def kept_search(request: HttpRequest) -> str:
    """The search kept in this session, decrypted; "" if none (or its key is gone)."""
    token = request.session.get(SEARCH_SESSION_KEY, "")
    if not token:
        return ""
    try:
        return crypto.decrypt(token, context=SEARCH_CONTEXT)
    except crypto.DecryptionError:
        request.session.pop(SEARCH_SESSION_KEY, None)
        return ""


def keep_search(request: HttpRequest, search: str) -> None:
    if search:
        request.session[SEARCH_SESSION_KEY] = crypto.encrypt(search, context=SEARCH_CONTEXT)
    else:
        request.session.pop(SEARCH_SESSION_KEY, None)


@requires("cases.person:read")
@require_http_methods(["GET", "POST"])
def person_list_view(request: HttpRequest) -> HttpResponse:
    """Cases the actor may see, filtered and sorted; names are never loaded here.

    A search is POSTed, kept (encrypted) in the session and answered by a redirect to the list
    without it; a POST with ``clear`` ends it. A ``?q=`` in the address (an old link, or one
    made to plant a search) is dropped by a redirect and never touches the kept search."""
    if request.method == "POST":
        return _remember_search(request)
    if "q" in request.GET:
        return _drop_search_from_address(request)
    actor = actor_for(request)
    case = request.GET.get("case", "").strip()[:40]
    case = case if is_case_number_query(case) else ""
    search = "" if case else kept_search(request)
    data = request.GET.copy()
    data.pop("case", None)
    if case or search:
        data["q"] = case or search
    form = PersonFilterForm(data or None)
    filters = form.filters()
    paginator = CappedPaginator(
        person_list(actor, filters), PAGE_SIZE, requested_page=request.GET.get("page")
    )
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [PersonRow(p, is_child(p, today), detention_alert(p, today)) for p in page]
    log_event(
        "persons.listed",
        details={"filters": filters.audit_codes(), "page": page.number, "shown": len(rows)},
    )
    query = query_without_page(request)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "count_capped": paginator.capped,
        "query": query,
        "sort_links": _sort_links(request, filters.sort),
        "filtered": bool(filters.audit_codes()),
        "search": search,
        "case": case,
        "can_register": actor.can("cases.person:write"),
    }
    htmx = getattr(request, "htmx", None)
    template = "cases/_person_results.html" if htmx else "cases/person_list.html"
    return render(request, template, context)


def _remember_search(request: HttpRequest) -> HttpResponse:
    clear = "clear" in request.POST
    keep_search(request, "" if clear else request.POST.get("q", "").strip()[:200])
    rest = QueryDict(mutable=True) if clear else request.POST.copy()
    for name in NOT_FILTERS:
        rest.pop(name, None)
    return _list_redirect(rest)


def _drop_search_from_address(request: HttpRequest) -> HttpResponse:
    rest = request.GET.copy()
    for name in NOT_FILTERS:
        rest.pop(name, None)
    return _list_redirect(rest)


def _list_redirect(rest: QueryDict) -> HttpResponse:
    url = reverse("cases:person_list")
    return redirect(f"{url}?{rest.urlencode()}" if rest else url)


@requires("cases.person:write")
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            person = services.register_person(actor=actor, data=form.person_data())
            messages.success(
                request,
                _("%(case)s is registered.") % {"case": person.case_number},
            )
            _warn_of_duplicates(request, person)
            return redirect("cases:person_detail", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form, "person": None})


def _warn_of_duplicates(request: HttpRequest, person: Person) -> None:
    """Say at once when the record just saved may be a second record of someone (I1)."""
    if possible_duplicates_for(actor_for(request), person):
        messages.warning(
            request,
            _(
                "%(case)s may be the same person as another record. Check the possible "
                "duplicates below: link the records or confirm that they are different people."
            )
            % {"case": person.case_number},
        )


@requires("cases.person:read")
def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The person page: identity, detention, return decision, holds and status history."""
    actor = actor_for(request)
    person = get_person_page(actor, pk)
    today = timezone.localdate()
    holds = list(person.holds.all())
    duplicates, linked = other_records_shown(actor, person)
    context = {
        "duplicates": duplicates,
        "linked_records": linked,
        "can_decide": actor.can("cases.identity:decide"),
        "age_changes": pending_age_changes(person),
        "can_confirm_age": actor.can("cases.age_change:confirm"),
        "person": person,
        "child": is_child(person, today),
        "alert": detention_alert(person, today),
        "active_holds": [hold for hold in holds if hold.is_active],
        "released_holds": [hold for hold in holds if not hold.is_active],
        "status_changes": list(person.status_changes.all()),
        "spoken_languages": [geo.language_name(code) for code in person.languages],
        "can_write": actor.can("cases.person:write"),
        "can_hold": actor.can("cases.hold:create"),
        "can_release": actor.can("cases.hold:release"),
        "own_unit": actor.organisation is not None
        and person.organisation_id == actor.organisation.pk,
        "has_transitions": bool(TRANSITIONS.get(person.status)),
        "today": today,
        "record_notices": record_notices(person),
    }
    return render(request, "cases/person_detail.html", context)


@requires("cases.person:write")
@require_http_methods(["GET", "POST"])
def person_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a person; a save over someone else's meanwhile change is refused and explained,
    with the user's input kept (I8)."""
    actor = actor_for(request)
    person = get_person_for_user(actor, pk, shown_on="edit")
    form = PersonForm(request.POST or None, instance=person)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_person(
                actor=actor,
                person=person,
                version=form.cleaned_data["version"] or 0,
                data=form.person_data(),
                age_reason=form.cleaned_data.get("age_change_reason") or "",
                age_note=form.cleaned_data.get("age_change_note") or "",
            )
        except services.ConcurrentEditError as exc:
            conflict = _conflict_context(exc)
            data = request.POST.copy()
            data["version"] = str(exc.current_version)
            form = PersonForm(data, instance=exc.person)
            form.is_valid()
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            if getattr(saved, "pending_age_change", None) is not None:
                messages.warning(
                    request,
                    _(
                        "The change of the age evidence waits for a second case officer: the "
                        "person is on a removal operation. Until it is confirmed the person "
                        "stays on the child path. Other changes are saved."
                    ),
                )
            else:
                messages.success(request, _("The changes are saved."))
            _warn_of_duplicates(request, person)
            return redirect("cases:person_detail", pk=person.pk)
    return render(
        request, "cases/person_form.html", {"form": form, "person": person, "conflict": conflict}
    )


def _conflict_context(exc: services.ConcurrentEditError) -> dict[str, Any]:
    return {
        "message": str(exc),
        "fields": [
            {"label": services.field_label(name), "value": _display(exc.person, name)}
            for name in exc.changed_fields
        ],
    }


def _display(person: Person, name: str) -> str:
    value = getattr(person, name)
    if name == "nationality":
        return geo.country_name(value)
    if name in ("languages",):
        return ", ".join(geo.language_name(code) for code in value)
    if name == "preferred_language":
        return geo.language_name(value) if value else "—"
    display = getattr(person, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value in (None, "") else str(value)


@requires("cases.person:write")
@require_http_methods(["GET", "POST"])
def person_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a person along the status table; a held person is stopped with the reason (I1)."""
    actor = actor_for(request)
    person = get_person_for_user(actor, pk)
    form = StatusChangeForm(request.POST or None, person=person)
    blocked = None
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(
                actor=actor,
                person=person,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except RemovalBlocked as exc:
            blocked = exc
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(
        request, "cases/person_status.html", {"form": form, "person": person, "blocked": blocked}
    )


@requires("cases.hold:create")
@require_http_methods(["GET", "POST"])
def hold_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    person = get_person_for_user(actor, pk)
    form = PlaceHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.place_hold(actor=actor, person=person, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _(
                    "The removal of %(case)s is held. No removal step can go ahead until a recorded decision releases the hold."
                )
                % {"case": person.case_number},
            )
            return redirect("cases:person_detail", pk=person.pk)
    return render(request, "cases/hold_form.html", {"form": form, "person": person})


@requires("cases.age_change:confirm")
@require_POST
def age_change_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A second case officer confirms a colleague's change of age evidence (ADR 0021)."""
    actor = actor_for(request)
    change = get_age_change_for_user(actor, pk)
    run_service_telling(
        request,
        lambda: services.confirm_age_change(actor=actor, change=change),
        success=_("The change of the age evidence is confirmed and saved."),
    )
    return redirect("cases:person_detail", pk=change.person_id)


@requires("cases.person:write")
@require_POST
def age_change_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A second case officer declines a change of age evidence; its proposer withdraws it."""
    actor = actor_for(request)
    change = get_age_change_for_user(actor, pk)
    run_service_telling(
        request,
        lambda: services.decline_age_change(actor=actor, change=change),
        success=_("The change of the age evidence is not applied; the record stays as it was."),
    )
    return redirect("cases:person_detail", pk=change.person_id)


@requires("cases.hold:create")
@require_POST
def hold_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    hold = get_hold_for_user(actor, pk)
    run_service_telling(
        request,
        lambda: services.confirm_hold(actor=actor, hold=hold),
        success=_("The hold is confirmed."),
    )
    return redirect("cases:person_detail", pk=hold.person_id)


@requires("cases.hold:release")
@require_http_methods(["GET", "POST"])
def hold_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a hold by a recorded decision; shows why release is not possible, if so."""
    actor = actor_for(request)
    hold = get_hold_for_user(actor, pk, shown=True)
    form = ReleaseHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.release_hold(actor=actor, hold=hold, **form.cleaned_data)
            messages.success(
                request,
                _("The hold is released. The release is recorded and reported to the Ombudsman."),
            )
            return redirect("cases:person_detail", pk=hold.person_id)
    context = {
        "form": form,
        "hold": hold,
        "person": hold.person,
        "blockers": release_blockers(hold),
    }
    return render(request, "cases/hold_release.html", context)


EVIDENCE_LABELS = {
    "document": gettext_lazy("a document number is the same"),
    "birth:date": gettext_lazy("the same date of birth"),
    "birth:year": gettext_lazy("the same year of birth"),
    "birth:year_near": gettext_lazy("years of birth one year apart"),
    "birth:year_other_date": gettext_lazy("the same year of birth, another date"),
    "birth:unknown": gettext_lazy("the birth is not known on one record"),
    "nationality:same": gettext_lazy("the same nationality"),
    "nationality:unknown": gettext_lazy("nationality not known on one record"),
    "nationality:differs": gettext_lazy("another nationality"),
    "sex:differs": gettext_lazy("another sex"),
}


def evidence_labels(evidence: tuple[str, ...]) -> list[str]:
    """The evidence codes of a match in the reader's language."""
    labels = []
    for code in evidence:
        if code.startswith("names:"):
            count = int(code.split(":", 1)[1])
            labels.append(ngettext("%(n)d name matches", "%(n)d names match", count) % {"n": count})
        elif code in EVIDENCE_LABELS:
            labels.append(str(EVIDENCE_LABELS[code]))
    return labels


@requires("cases.identity:decide")
@require_http_methods(["GET", "POST"])
def identity_decide_view(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Link a likely duplicate as the same person, or confirm they are different people."""
    actor = actor_for(request)
    person, other = get_possible_duplicate_for_user(actor, pk, other_pk, shown=True)
    form = IdentityDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.decide_identity(
                actor=actor,
                person=person,
                other=Person.objects.get(pk=other.pk),
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
            if form.cleaned_data["decision"] == "same":
                done = _("The records are linked as one person: every hold applies to both.")
            else:
                done = _("Recorded: the records are of different people.")
            messages.success(request, done)
            return redirect("cases:person_detail", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "other": other,
        "evidence": evidence_labels(other.evidence),
    }
    return render(request, "cases/identity_decide.html", context)
