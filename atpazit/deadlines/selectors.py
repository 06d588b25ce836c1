from __future__ import annotations

from django.db.models import QuerySet

from atpazit.accounts.access import Actor
from atpazit.deadlines.models import Deadline


def open_deadlines_for(actor: Actor) -> QuerySet[Deadline]:
    """Open deadlines the actor's organisation must meet, soonest first."""
    if actor.organisation is None:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        responsible_organisation=actor.organisation, met_at__isnull=True, cancelled_at__isnull=True
    ).order_by("due_at", "pk")
