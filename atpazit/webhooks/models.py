"""Webhooks: an organisation's HTTPS endpoint and the deliveries of events to it (ADR 0030).

An endpoint belongs to an organisation and acts for the member who registered it, as an API
token does (ADR 0026): it is told only about what that member may see, and it ends for good when
that member's membership, role, account or organisation changes or ends (webhooks.signals). The payload carries no personal data
(``events.WebhookEvent``); the signing secret is stored encrypted and shown once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.lib.fields import EncryptedCharField


class EventType(models.TextChoices):
    """What an endpoint may subscribe to (docs/api.md, "Webhooks")."""

    REFERRAL_RECEIVED = "referral.received", _("a referral was received")
    REFERRAL_CHANGED = "referral.changed", _("a referral's status changed")
    HOLD_STARTED = "hold.started", _("a removal hold started")
    HOLD_RELEASED = "hold.released", _("a removal hold was released")


class Endpoint(models.Model):
    """An organisation's receiver of signed events. The status flow is ``ENDPOINT_TRANSITIONS``."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        # Switched off by Atpazīt after repeated failed deliveries; the administrator resumes it.
        DISABLED = "disabled", _("disabled after failures")
        # The member it acts for changed or left: it never sends again (register a new one).
        ENDED = "ended", _("ended with its registrant's access")
        # Deleted by a member: kept (hidden) so that its delivery log, the record of where case
        # numbers went, survives.
        DELETED = "deleted", _("deleted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=120, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    # Shown once when made or rotated; kept encrypted because every delivery is signed with it.
    secret = EncryptedCharField(_("signing secret"), max_length=80)
    # After a rotation the old secret signs too, for a day, so the receiver can switch over.
    previous_secret = EncryptedCharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Failed attempts since the last successful one: at ``DISABLE_AFTER`` the endpoint is
    # disabled (tasks.py).
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"webhook endpoint {self.pk}"


ES = Endpoint.Status
# The status flow of an endpoint (house style: a table beside the model).
ENDPOINT_TRANSITIONS: dict[str, frozenset[str]] = {
    ES.ACTIVE: frozenset({ES.PAUSED, ES.DISABLED, ES.ENDED, ES.DELETED}),
    ES.PAUSED: frozenset({ES.ACTIVE, ES.ENDED, ES.DELETED}),
    ES.DISABLED: frozenset({ES.ACTIVE, ES.ENDED, ES.DELETED}),
    ES.ENDED: frozenset({ES.DELETED}),
    ES.DELETED: frozenset(),
}


class Delivery(models.Model):
    """One event for one endpoint, and how its delivery went. The status flow is
    ``DELIVERY_TRANSITIONS``. ``payload`` is the event exactly as signed and sent (no personal
    data by construction); the delivery log shows only the outcome, never the body."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed, given up")
        CANCELLED = "cancelled", _("cancelled")

    # PROTECT: the log of where events went outlives the endpoint (which is only marked deleted).
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    object_type = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The receiver's HTTP status of the last attempt, or None if none came back.
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # A code (transport.REFUSALS), never the receiver's answer or an exception text.
    last_error = models.CharField(max_length=32, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhooks_one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"


DS = Delivery.Status
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DS.PENDING: frozenset({DS.DELIVERED, DS.FAILED, DS.CANCELLED}),
    DS.DELIVERED: frozenset(),
    DS.FAILED: frozenset(),
    DS.CANCELLED: frozenset(),
}
