"""The referral flow's part of the person page: the open suspicion, "raise a suspicion", and the
"re-screen before removal" marker. One inclusion tag, so the cases template needs one line."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

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


@register.filter
def source_label(reference: str) -> str:
    """Where a suspicion came from, in words: "screening:8" is the screening no. 8."""
    kind, _sep, pk = (reference or "").partition(":")
    if kind == "screening" and pk.isdigit():
        return _("screening no. %(number)s") % {"number": pk}
    if reference == "demo":
        return _("demonstration data")
    return reference


@register.filter
def source_url(reference: str) -> str:
    """The page of the screening a suspicion came from ("" for any other source); the page
    applies its own access checks."""
    kind, _sep, pk = (reference or "").partition(":")
    if kind == "screening" and pk.isdigit():
        return reverse("screening:session_detail", kwargs={"pk": int(pk)})
    return ""
