"""The escalations panel: for the Ombudsman every open escalation, for others their own."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.escalations.selectors import escalations_visible_to, open_escalations
from atpazit.lib.registry import Panel

PANEL_ROWS = 5


def escalations_panel(actor: Actor) -> Panel | None:
    if not actor.can("escalations.escalation:read"):
        return None
    pending = open_escalations(escalations_visible_to(actor))
    count = pending.count()
    context = {"latest": list(pending[:PANEL_ROWS]), "count": count}
    return Panel(_("Open escalations"), "escalations/panels/open.html", context, count=count)
