"""What an event says, who gets it, and when it is queued (ADR 0030).

The referrals and cases apps call their listeners (``referrals.hooks.register_referral_listener``,
``cases.holds.HOLD_LIFECYCLE_LISTENERS``) inside the transaction of the change. The listener here
only takes note of plain values and asks for ``queue_event`` to run **after the commit**, as a
robust callback: a rolled-back change announces nothing, and nothing that goes wrong here can
fail or undo the referral or the hold.

Who gets an event: each active endpoint subscribed to its type whose registrant (the member it
acts for, as an API token acts for its user) may see the object by the same rules as the pages
and the API (``referrals.visibility.referrals_visible_to``, ``cases.selectors.persons_visible_to``)
— never what other members of the organisation may see. ``referral.received`` goes to the receiving organisation only.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pydantic import BaseModel, ConfigDict

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.cases.models import Hold
from atpazit.cases.selectors import persons_visible_to
from atpazit.referrals.models import Referral
from atpazit.referrals.visibility import referrals_visible_to
from atpazit.webhooks.models import Delivery, Endpoint, EventType

logger = logging.getLogger("atpazit.webhooks")

SCHEMA_VERSION = 1


class EventObject(BaseModel):
    """The object an event is about: codes and numbers only, never a name or a date of birth."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["referral", "hold"]
    id: int
    case_number: str  # the pseudonymous case number of the person (DESIGN §7)
    state: str  # a referral's status code, or "active" / "released" for a hold
    track: Literal["provider", "police"] | None = None  # referrals only
    url: str  # the API URL that gives the details to a token allowed to see them


class WebhookEvent(BaseModel):
    """The JSON body of every delivery (docs/api.md, "Webhooks"). Changes only with
    ``schema_version``."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID  # the same on every attempt: a receiver processes an id once
    type: EventType
    schema_version: Literal[1] = 1  # SCHEMA_VERSION
    occurred_at: dt.datetime
    object: EventObject


@dataclass(frozen=True)
class Change:
    """What the listener notes inside the transaction: plain values, read again after it."""

    event_type: str
    object_type: str
    object_id: int
    state: str
    occurred_at: dt.datetime


def api_url(name: str, **kwargs: int) -> str:
    return settings.ATPAZIT_BASE_URL.rstrip("/") + reverse(f"api:v1:{name}", kwargs=kwargs)


# --- the listeners ------------------------------------------------------------------------------


def on_referral_changed(referral: Referral, change: str) -> None:
    event_type = EventType.REFERRAL_RECEIVED if change == "sent" else EventType.REFERRAL_CHANGED
    _after_commit(Change(event_type, "referral", referral.pk, referral.status, timezone.now()))


def on_hold_lifecycle(hold: Hold, change: str) -> None:
    if change == "started":
        noted = Change(EventType.HOLD_STARTED, "hold", hold.pk, "active", timezone.now())
    else:
        noted = Change(EventType.HOLD_RELEASED, "hold", hold.pk, "released", timezone.now())
    _after_commit(noted)


def _after_commit(change: Change) -> None:
    transaction.on_commit(lambda: queue_event(change), robust=True)


# --- queuing ------------------------------------------------------------------------------------


def queue_event(change: Change) -> list[Delivery]:
    """Make a delivery per entitled endpoint and hand each to the worker. Runs after the commit;
    a failure here is logged (by the robust callback) and never reaches the change itself."""
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(status=Endpoint.Status.ACTIVE).select_related(
            "organisation"
        )
        if change.event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    built = _build(change)
    if built is None:
        return []
    event_object, receiver_only = built
    deliveries = []
    for endpoint in endpoints:
        if receiver_only is not None and endpoint.organisation_id != receiver_only:
            continue
        if not endpoint_may_see(endpoint, change):
            continue
        event = WebhookEvent(
            id=uuid.uuid4(),
            type=EventType(change.event_type),
            occurred_at=change.occurred_at,
            object=event_object,
        )
        deliveries.append(
            Delivery.objects.create(
                endpoint=endpoint,
                event_id=event.id,
                event_type=change.event_type,
                object_type=change.object_type,
                object_id=change.object_id,
                payload=event.model_dump(mode="json"),
                next_attempt_at=timezone.now(),
            )
        )
    from atpazit.webhooks.tasks import deliver_webhook

    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)
    return deliveries


def _build(change: Change) -> tuple[EventObject, int | None] | None:
    """The event's object, and the one organisation it is for if only one (a referral received)."""
    if change.object_type == "referral":
        referral = (
            Referral.objects.select_related("suspicion__person").filter(pk=change.object_id).first()
        )
        if referral is None:
            return None
        receiver = (
            referral.to_organisation_id
            if change.event_type == EventType.REFERRAL_RECEIVED
            else None
        )
        return (
            EventObject(
                type="referral",
                id=referral.pk,
                case_number=referral.suspicion.person.case_number,
                state=change.state,
                track=referral.track,  # type: ignore[arg-type]
                url=api_url("referral_detail", referral_id=referral.pk),
            ),
            receiver,
        )
    hold = Hold.objects.select_related("person").filter(pk=change.object_id).first()
    if hold is None:
        return None
    return (
        EventObject(
            type="hold",
            id=hold.pk,
            case_number=hold.person.case_number,
            state=change.state,
            url=api_url("hold_detail", hold_id=hold.pk),
        ),
        None,
    )


def acting_for(endpoint: Endpoint) -> Actor | None:
    """The member the endpoint acts for, while it may still act: the registrant's membership in
    the endpoint's organisation, active, with an active account and organisation, and a role that
    still manages webhooks. None otherwise (and then nothing is queued or sent)."""
    if endpoint.created_by_id is None:
        return None
    membership = (
        Membership.objects.filter(
            organisation_id=endpoint.organisation_id,
            user_id=endpoint.created_by_id,
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
        )
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        return None
    actor = Actor(user=membership.user, membership=membership)
    if not actor.can("webhooks.endpoint:manage"):
        return None
    return actor


def endpoint_may_see(endpoint: Endpoint, change: Change) -> bool:
    """Whether the member the endpoint acts for may see the object (the pages' rules)."""
    actor = acting_for(endpoint)
    if actor is None:
        return False
    if change.object_type == "referral":
        return referrals_visible_to(actor).filter(pk=change.object_id).exists()
    return Hold.objects.filter(pk=change.object_id, person__in=persons_visible_to(actor)).exists()
