"""Every write of webhook endpoints: registered, rotated, paused, resumed, deleted (ADR 0030).

A member whose role sees cases (``webhooks.endpoint:manage``, not the organisation's
administrator) manages its organisation's endpoints; an endpoint acts for the member who
registered it and is told only what they may see (ADR 0030). The signing secret is returned once (``NewSecret``) and stored
encrypted. Every write is audited with ids and codes: the URL's host is the organisation's system,
not a person, but the audit trail keeps codes only, so it records the endpoint's id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed
from atpazit.webhooks import signing, transport
from atpazit.webhooks.models import ENDPOINT_TRANSITIONS, Delivery, Endpoint, EventType

MANAGE = "webhooks.endpoint:manage"
URL_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 120
# After a rotation the old secret keeps signing (beside the new one) this long.
ROTATION_OVERLAP = dt.timedelta(hours=24)


@dataclass(frozen=True)
class NewSecret:
    """An endpoint and its signing secret, shown once and never again."""

    endpoint: Endpoint
    secret: str


def _require(actor: Actor) -> None:
    if actor.membership is None or not actor.can(MANAGE):
        raise NotAllowed(_("You may not manage the webhooks of this organisation."))


def _check_own(actor: Actor, endpoint: Endpoint) -> None:
    _require(actor)
    if actor.organisation is None or endpoint.organisation_id != actor.organisation.pk:
        raise NotAllowed(_("This endpoint belongs to another organisation."))


URL_REFUSALS = {
    "scheme_not_allowed": gettext_lazy("Use an https:// address."),
    "bad_url": gettext_lazy("Give a full address, such as https://example.org/atpazit/events."),
    "dns_failed": gettext_lazy("This address's host name could not be found."),
    "private_address": gettext_lazy(
        "This address leads to a private or local network, which Atpazīt does not call."
    ),
}


def _well_formed(url: str) -> bool:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return False
    return True


def _clean(url: str, description: str, event_types: Iterable[str]) -> tuple[str, str, list[str]]:
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    description = (description or "").strip()
    chosen = sorted(set(event_types))
    if not url:
        errors["url"] = [_("Give the address of your system's receiver.")]
    elif len(url) > URL_MAX_LENGTH:
        errors["url"] = [_("Use at most %(n)d characters.") % {"n": URL_MAX_LENGTH}]
    elif not _well_formed(url):
        errors["url"] = [str(URL_REFUSALS["bad_url"])]
    else:
        try:
            transport.check_endpoint(url)
        except transport.Refused as refused:
            errors["url"] = [str(URL_REFUSALS.get(refused.code, URL_REFUSALS["bad_url"]))]
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [_("Use at most %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH}]
    if not chosen:
        errors["event_types"] = [_("Choose at least one kind of event.")]
    elif not set(chosen) <= set(EventType.values):
        errors["event_types"] = [_("Choose only the kinds of event offered.")]
    if errors:
        raise InvalidInput(errors)
    return url, description, chosen


@transaction.atomic
def create_endpoint(
    *, actor: Actor, url: str, description: str, event_types: Iterable[str]
) -> NewSecret:
    """Register an endpoint for the actor's organisation; returns its secret, once.
    Raises NotAllowed, InvalidInput (the URL is checked as a delivery would: https, public)."""
    _require(actor)
    organisation = actor.organisation
    assert organisation is not None  # noqa: S101 - _require checked it
    url, description, chosen = _clean(url, description, event_types)
    secret = signing.new_secret()
    endpoint = Endpoint.objects.create(
        organisation=organisation,
        url=url,
        description=description,
        event_types=chosen,
        secret=secret,
        created_by=actor.user,
    )
    # Where case numbers will go: the receiver's host (an organisation's system, not a person).
    log_event(
        "webhook_endpoint.created",
        obj=endpoint,
        details={"event_types": chosen, "host": urlsplit(url).hostname or ""},
    )
    return NewSecret(endpoint=endpoint, secret=secret)


def _lock(endpoint: Endpoint) -> Endpoint:
    return Endpoint.objects.select_for_update().get(pk=endpoint.pk)


@transaction.atomic
def rotate_secret(*, actor: Actor, endpoint: Endpoint, now: dt.datetime | None = None) -> NewSecret:
    """A new signing secret, returned once; the old one signs beside it for ROTATION_OVERLAP."""
    _check_own(actor, endpoint)
    current = _lock(endpoint)
    now = now or timezone.now()
    secret = signing.new_secret()
    current.previous_secret = current.secret
    current.previous_secret_until = now + ROTATION_OVERLAP
    current.secret = secret
    current.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    log_event("webhook_endpoint.secret_rotated", obj=current, details={})
    return NewSecret(endpoint=current, secret=secret)


def _move(actor: Actor, endpoint: Endpoint, to_status: str) -> tuple[Endpoint, str]:
    _check_own(actor, endpoint)
    current = _lock(endpoint)
    if to_status not in ENDPOINT_TRANSITIONS[current.status]:
        raise InvalidTransition(
            _("An endpoint whose status is “%(from)s” cannot be made “%(to)s”.")
            % {
                "from": current.get_status_display(),
                "to": Endpoint.Status(to_status).label,
            }
        )
    from_status = current.status
    current.status = to_status
    fields = ["status"]
    if to_status == Endpoint.Status.ACTIVE:
        current.consecutive_failures = 0
        current.disabled_at = None
        fields += ["consecutive_failures", "disabled_at"]
    current.save(update_fields=fields)
    return current, from_status


@transaction.atomic
def pause_endpoint(*, actor: Actor, endpoint: Endpoint) -> Endpoint:
    """Stop sending: events are not queued for it, and waiting deliveries are cancelled."""
    current, from_status = _move(actor, endpoint, Endpoint.Status.PAUSED)
    log_event("webhook_endpoint.paused", obj=current, details={"from": from_status})
    return current


@transaction.atomic
def resume_endpoint(*, actor: Actor, endpoint: Endpoint) -> Endpoint:
    """Send again (after a pause, or after Atpazīt disabled it): the count of failures starts
    over. Events that happened meanwhile are not sent; the API lists what changed."""
    current, from_status = _move(actor, endpoint, Endpoint.Status.ACTIVE)
    log_event("webhook_endpoint.resumed", obj=current, details={"from": from_status})
    return current


@transaction.atomic
def delete_endpoint(
    *, actor: Actor, endpoint: Endpoint, now: dt.datetime | None = None
) -> Endpoint:
    """Remove the endpoint from the organisation's list: it never sends again, what waited to be
    sent is cancelled, and it is kept, hidden, with its delivery log (where events went)."""
    _check_own(actor, endpoint)
    current = _lock(endpoint)
    if current.status == Endpoint.Status.DELETED:
        raise InvalidTransition(_("This endpoint is already deleted."))
    from_status = current.status
    current.status = Endpoint.Status.DELETED
    current.deleted_at = now or timezone.now()
    current.save(update_fields=["status", "deleted_at"])
    current.deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.CANCELLED, last_error="endpoint_deleted", next_attempt_at=None
    )
    log_event(
        "webhook_endpoint.deleted",
        obj=current,
        details={"from": from_status, "deliveries": current.deliveries.count()},
    )
    return current


def end_endpoints(*, endpoints: QuerySet[Endpoint], reason: str) -> int:
    """End for good every endpoint among ``endpoints`` because the member it acts for changed
    (``reason``: the membership's role or state, the account or the organisation switched off),
    and cancel what waits to be sent to it. Checked only at each event, an endpoint would act
    again when the membership came back or the role was given back (ADR 0030, as ADR 0026)."""
    ended = 0
    with transaction.atomic():
        live = endpoints.exclude(status__in=[Endpoint.Status.ENDED, Endpoint.Status.DELETED])
        for endpoint in live.select_for_update():
            from_status = endpoint.status
            endpoint.status = Endpoint.Status.ENDED
            endpoint.save(update_fields=["status"])
            endpoint.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.CANCELLED, last_error="endpoint_ended", next_attempt_at=None
            )
            log_event(
                "webhook_endpoint.ended",
                obj=endpoint,
                details={"reason": reason, "from": from_status},
            )
            ended += 1
    return ended
