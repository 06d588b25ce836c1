"""The referral flow's part of the person page: the open suspicion, "raise a suspicion", and the
"re-screen before removal" marker. One inclusion tag, so the cases template needs one line."""

from __future__ import annotations

from typing import Any

from django import template

from atpazit.cases.models import Person
from atpazit.referrals.selectors import open_suspicion_of, rescreen_marker

register = template.Library()


@register.inclusion_tag("referrals/_on_person.html", takes_context=True)
def referrals_on_person(context: dict[str, Any], person: Person) -> dict[str, Any]:
    """Shown to whoever may see the person page (the page itself is scoped and audited)."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"person": person}
    suspicion = open_suspicion_of(actor, person.pk)
    return {
        "person": person,
        "suspicion": suspicion,
        "can_raise": suspicion is None and actor.can("referrals.suspicion:raise"),
        "rescreen": rescreen_marker(person.pk),
    }
