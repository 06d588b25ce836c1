"""The Border Guard dashboard panel: what a unit must act on now."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.cases.models import OPEN_STATUSES, Hold, Person
from atpazit.cases.rules import detention_alert, detention_alert_cutoff
from atpazit.cases.selectors import persons_visible_to
from atpazit.lib.registry import Panel

PANEL_ROWS = 10


def border_guard_panel(actor: Actor) -> Panel | None:
    """Held persons with a planned removal, holds waiting for confirmation, and detentions near
    the 10-day limit, for the unit."""
    if actor.organisation is None or actor.organisation.type != OrganisationType.BORDER_GUARD:
        return None
    if not actor.can("cases.person:read"):
        return None
    persons = persons_visible_to(actor)
    active = Hold.objects.active().filter(person__in=persons)
    unconfirmed = active.filter(confirmed_at__isnull=True).select_related("person")
    today = timezone.localdate()
    detained = (
        persons.filter(
            status__in=OPEN_STATUSES,
            detention_court_order_on__isnull=True,
            detained_since__lte=detention_alert_cutoff(today),
        )
        .only("id", "case_number", "status", "detained_since", "detention_court_order_on")
        .order_by("detained_since", "case_number")
    )
    alerts = [(p, detention_alert(p, today)) for p in detained[:PANEL_ROWS]]
    # A hold placed after the removal was planned: the removal must not go ahead (I1). The
    # hold may be on another record of the same human (linked), of any unit: it holds this one.
    own_or_linked_hold = Hold.objects.active().filter(
        Q(person=OuterRef("pk")) | Q(person__identity_root_id=OuterRef("identity_root_id"))
    )
    conflicts = (
        persons.filter(status=Person.Status.REMOVAL_PLANNED)
        .filter(Exists(own_or_linked_hold))
        .only("id", "case_number", "planned_removal_date")
        .order_by("planned_removal_date", "case_number")
    )
    counts = {
        "unconfirmed_count": unconfirmed.count(),
        "alert_count": detained.count(),
        "conflict_count": conflicts.count(),
    }
    context = {
        "unconfirmed": list(unconfirmed.order_by("started_at")[:PANEL_ROWS]),
        "held_count": active.values("person").distinct().count(),
        "alerts": alerts,
        "conflicts": list(conflicts[:PANEL_ROWS]),
        **counts,
    }
    count = sum(counts.values())
    return Panel(_("Return cases: act now"), "cases/panels/border_guard.html", context, count=count)
