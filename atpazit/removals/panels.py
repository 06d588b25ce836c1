"""Dashboard panels: what a Border Guard unit or the monitor must act on now."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.lib.registry import Panel
from atpazit.removals.models import OPEN_STATUSES
from atpazit.removals.selectors import (
    READ,
    operations_visible_to,
    operations_with_conflicts,
    with_conflict_counts,
    with_manifest_counts,
)

PANEL_LIMIT = 10
UPCOMING_DAYS = 14


def conflicts_panel(actor: Actor) -> Panel | None:
    """Open operations with a blocking conflict on the manifest (a held person, an unscreened
    child on a confirmed operation): they must not go ahead as they are."""
    if not actor.can(READ):
        return None
    operations = list(operations_with_conflicts(actor)[:PANEL_LIMIT])
    return Panel(
        title=_("Removal operations with a blocking conflict"),
        template="removals/panel_conflicts.html",
        context={"operations": operations},
        count=len(operations),
    )


def upcoming_panel(actor: Actor) -> Panel | None:
    """Open operations departing in the next two weeks, soonest first."""
    if not actor.can(READ):
        return None
    now = timezone.now()
    operations = (
        with_manifest_counts(operations_visible_to(actor))
        .filter(
            status__in=OPEN_STATUSES,
            departure_at__gte=now,
            departure_at__lt=now + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .order_by("departure_at", "pk")
    )
    return Panel(
        title=_("Removal operations in the next 14 days"),
        template="removals/panel_upcoming.html",
        context={"operations": with_conflict_counts(list(operations[:PANEL_LIMIT]))},
    )
