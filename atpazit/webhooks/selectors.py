"""Reads of webhook endpoints and their delivery logs: an administrator's own organisation only
(``webhooks.endpoint:manage``); anything else is a 404. Nothing here is personal data: the log
holds outcomes (status codes, attempts, times, error codes), never a body."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from atpazit.accounts.access import Actor
from atpazit.webhooks.models import Delivery, Endpoint

MANAGE = "webhooks.endpoint:manage"
LOG_LENGTH = 50


def endpoints_visible_to(actor: Actor) -> QuerySet[Endpoint]:
    organisation = actor.organisation
    if organisation is None or not actor.can(MANAGE):
        return Endpoint.objects.none()
    return Endpoint.objects.filter(organisation=organisation).exclude(
        status=Endpoint.Status.DELETED
    )


def get_endpoint_for_user(actor: Actor, pk: int) -> Endpoint:
    try:
        return endpoints_visible_to(actor).get(pk=pk)
    except Endpoint.DoesNotExist as exc:
        raise Http404 from exc


def delivery_log(endpoint: Endpoint) -> list[Delivery]:
    """The latest deliveries of an endpoint, newest first, without their payloads."""
    return list(
        Delivery.objects.filter(endpoint=endpoint)
        .defer("payload")
        .order_by("-created_at", "-pk")[:LOG_LENGTH]
    )
