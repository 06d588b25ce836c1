"""Dashboard panels of forced-return monitoring."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.lib.registry import Panel
from atpazit.monitoring.models import OPEN_STATUSES
from atpazit.monitoring.selectors import RECORD, missions_visible_to, pending_requests_for

PANEL_LIMIT = 10


def missions_panel(actor: Actor) -> Panel | None:
    """The office's open missions; a monitor sees first those assigned to them."""
    organisation = actor.organisation
    if organisation is None or organisation.type != OrganisationType.OMBUDSMAN:
        return None
    if not actor.can(RECORD):
        return None
    missions = (
        missions_visible_to(actor)
        .filter(status__in=OPEN_STATUSES)
        .select_related("operation")
        .order_by("operation__departure_at", "pk")
    )
    mine = list(missions.filter(monitors=actor.user)[:PANEL_LIMIT])
    return Panel(
        title=_("Your open monitoring missions"),
        template="monitoring/panel_missions.html",
        context={"missions": mine, "total": missions.count()},
        count=len(mine),
    )


def requests_panel(actor: Actor) -> Panel | None:
    """Requests of monitors to take a person off the unit's manifests, waiting for an answer."""
    requests = pending_requests_for(actor)
    if not actor.can("monitoring.removal_request:answer"):
        return None
    shown = list(requests.order_by("requested_at", "pk")[:PANEL_LIMIT])
    return Panel(
        title=_("Monitors' requests waiting for your answer"),
        template="monitoring/panel_requests.html",
        context={"requests": shown},
        count=len(shown),
    )
