"""Permission-aware reads of escalations."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.escalations.models import Escalation


def escalations_visible_to(actor: Actor) -> QuerySet[Escalation]:
    """The Ombudsman's Office sees every escalation; any other organisation sees those it is
    responsible for; without ``escalations.escalation:read`` nobody sees any."""
    organisation = actor.organisation
    if organisation is None or not actor.can("escalations.escalation:read"):
        return Escalation.objects.none()
    queryset = Escalation.objects.select_related("responsible_organisation")
    if organisation.type == OrganisationType.OMBUDSMAN:
        return queryset
    return queryset.filter(responsible_organisation=organisation)


def get_escalation_for_user(actor: Actor, pk: int) -> Escalation:
    try:
        return escalations_visible_to(actor).get(pk=pk)
    except Escalation.DoesNotExist as exc:
        raise Http404 from exc


def open_escalations(queryset: QuerySet[Escalation]) -> QuerySet[Escalation]:
    return queryset.filter(resolved_at__isnull=True)
