"""Delivering webhooks, run by `atpazit worker` (django-tasks, database backend).

One task run is one attempt. A failed attempt is tried again after ``BACKOFF[attempt]`` (the task
is enqueued again with ``run_after``), ``MAX_ATTEMPTS`` in all over about 21 hours; then the
delivery is given up. When a delivery is given up and nothing was delivered to the endpoint
meanwhile, the endpoint is disabled and the members who manage its webhooks are told. A delivery never touches the referral or hold
it announces: it runs long after that change committed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from atpazit.audit.services import log_event
from atpazit.notifications.services import notify
from atpazit.webhooks import signing, transport
from atpazit.webhooks.events import Change, endpoint_may_see
from atpazit.webhooks.models import Delivery, Endpoint

logger = logging.getLogger("atpazit.webhooks")

# The wait after attempt n (1-based) failed, before attempt n + 1: 6 attempts over ~21 hours.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
    dt.timedelta(hours=16),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# An endpoint is disabled when a delivery is given up and at least this many attempts in a row
# failed (across its deliveries): nothing reached it for the whole ~21 hours. A short outage
# with a burst of events therefore never disables it.
DISABLE_AFTER = MAX_ATTEMPTS
# While one attempt runs, another worker leaves the delivery alone for this long.
LEASE = dt.timedelta(minutes=5)
USER_AGENT = "Atpazit-Webhooks/1"


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a delivery; schedules the next one if it failed and attempts remain."""
    outcome = attempt(delivery_id)
    if outcome == "retrying":  # only the run that made the attempt schedules the next one
        schedule(Delivery.objects.get(pk=delivery_id))
    return outcome


def schedule(delivery: Delivery) -> None:
    """Enqueue the next attempt for when it is due (a backend that cannot defer — the
    immediate one of the tests — leaves it to ``deliver_due``)."""
    if deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def deliver_due(*, now: dt.datetime | None = None) -> int:
    """Hand the worker every pending delivery that is due (each ``atpazit tick``, through
    ``lib.registry.TICK_JOBS``, and ``atpazit webhooks_deliver_due``): a safety net for an
    attempt whose worker stopped half-way, which nothing else would retry."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for delivery_id in due:
        deliver_webhook.enqueue(delivery_id)
    return len(due)


def attempt(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return "nothing to do"
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return "not due"
        endpoint = delivery.endpoint
        if endpoint.status != Endpoint.Status.ACTIVE:
            delivery.status = Delivery.Status.CANCELLED
            delivery.last_error = f"endpoint_{endpoint.status}"
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            return "cancelled"
        if delivery.attempts >= MAX_ATTEMPTS:
            # An attempt that never recorded its outcome (a worker stopped, an error) still
            # counted: never more than MAX_ATTEMPTS, whatever happened to the last one.
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = delivery.last_error or "unexpected_error"
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            _log_given_up(endpoint, delivery)
            return "failed"
        if not endpoint_may_see(endpoint, _change_of(delivery)):
            # The member it acts for, or their organisation, lost the right meanwhile.
            delivery.status = Delivery.Status.CANCELLED
            delivery.last_error = "not_entitled"
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            return "cancelled"
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    outcome = transport.post(endpoint.url, body, _headers(endpoint, delivery, body, now))
    return _record(delivery.pk, outcome, now=now)


def _headers(
    endpoint: Endpoint, delivery: Delivery, body: bytes, now: dt.datetime
) -> dict[str, str]:
    secrets_in_use = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and now < endpoint.previous_secret_until
    ):
        secrets_in_use.append(endpoint.previous_secret)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Atpazit-Event-Id": str(delivery.event_id),
        "Atpazit-Event-Type": delivery.event_type,
        signing.HEADER: signing.header_value(secrets_in_use, int(now.timestamp()), body),
    }


def _record(delivery_id: int, outcome: transport.Outcome, *, now: dt.datetime) -> str:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.last_status_code = outcome.status_code
        delivery.last_error = "" if outcome.ok else (outcome.error or "http_status")
        if outcome.ok:
            delivery.status = Delivery.Status.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures"])
            # A case number and a state left Atpazīt: where to, and what (ids and codes only).
            log_event(
                "webhook_delivery.delivered",
                obj=endpoint,
                details={
                    "delivery": delivery.pk,
                    "event_id": str(delivery.event_id),
                    "event_type": delivery.event_type,
                    "object_type": delivery.object_type,
                    "object_id": delivery.object_id,
                },
            )
            result = "delivered"
        else:
            gave_up = delivery.attempts >= MAX_ATTEMPTS
            delivery.status = Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING
            delivery.next_attempt_at = None if gave_up else now + BACKOFF[delivery.attempts - 1]
            endpoint.consecutive_failures += 1
            endpoint.save(update_fields=["consecutive_failures"])
            logger.warning(
                "Webhook delivery %s to endpoint %s failed (attempt %s of %s, %s): %s",
                delivery.pk,
                endpoint.pk,
                delivery.attempts,
                MAX_ATTEMPTS,
                "given up" if gave_up else "will retry",
                delivery.last_error,
            )
            if gave_up:
                _log_given_up(endpoint, delivery)
            if (
                gave_up
                and endpoint.consecutive_failures >= DISABLE_AFTER
                and endpoint.status == Endpoint.Status.ACTIVE
            ):
                _disable(endpoint, now=now)
            result = "failed" if gave_up else "retrying"
        delivery.save(
            update_fields=[
                "status",
                "last_status_code",
                "last_error",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return result


def _change_of(delivery: Delivery) -> Change:
    return Change(
        delivery.event_type,
        delivery.object_type,
        delivery.object_id,
        str(delivery.payload.get("object", {}).get("state", "")),
        delivery.created_at,
    )


def _log_given_up(endpoint: Endpoint, delivery: Delivery) -> None:
    log_event(
        "webhook_delivery.given_up",
        obj=endpoint,
        details={
            "delivery": delivery.pk,
            "event_type": delivery.event_type,
            "attempts": delivery.attempts,
            "error": delivery.last_error,
            "status_code": delivery.last_status_code,
        },
    )


def _disable(endpoint: Endpoint, *, now: dt.datetime) -> None:
    endpoint.status = Endpoint.Status.DISABLED
    endpoint.disabled_at = now
    endpoint.save(update_fields=["status", "disabled_at"])
    log_event(
        "webhook_endpoint.disabled",
        obj=endpoint,
        details={"failures": endpoint.consecutive_failures},
    )
    notify(
        organisation=endpoint.organisation,
        kind="webhook.endpoint_disabled",
        link=reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk}),
        permission="webhooks.endpoint:manage",
    )
