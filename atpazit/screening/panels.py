"""The screening dashboard panel: what a screener must act on now.

Border Guard officers and case officers: their own screenings waiting for a decision, and persons
due for removal within a week who have never been screened. Monitors: their own open screenings,
and recent screenings where the engine advised a referral but the screener decided otherwise.
A fixed number of queries, whatever the data size.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.lib.registry import Panel
from atpazit.screening import selectors

PANEL_ROWS = 10
DEPARTURE_WINDOW_DAYS = 7


def screening_panel(actor: Actor) -> Panel | None:
    """The panel for screeners; None for every other role."""
    organisation = actor.organisation
    if organisation is None or not actor.can("screening.session:create"):
        return None
    own_open = selectors.session_list(actor, open_only=True, mine=True)
    count = own_open.count()
    context: dict[str, object] = {
        "open_sessions": list(own_open[:PANEL_ROWS]),
        "open_count": count,
        "window": DEPARTURE_WINDOW_DAYS,
        "is_monitor": organisation.type == OrganisationType.OMBUDSMAN,
    }
    if organisation.type == OrganisationType.OMBUDSMAN:
        departures = selectors.departures_from_advice(actor)
        context["departures"] = list(departures[:PANEL_ROWS])
        context["departure_count"] = waiting = departures.count()
    else:
        unscreened = selectors.departing_unscreened(actor, within_days=DEPARTURE_WINDOW_DAYS)
        context["unscreened"] = list(unscreened[:PANEL_ROWS])
        context["unscreened_count"] = waiting = unscreened.count()
    return Panel(
        _("Screening: act now"), "screening/panels/screening.html", context, count=count + waiting
    )
