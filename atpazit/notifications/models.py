"""In-app notifications (one row per recipient user) and the e-mails that announce them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    # A relative link inside Atpazīt; the page behind it applies its own access checks.
    link = models.CharField(max_length=300)
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} -> {self.recipient_id}"

    def text(self) -> str:
        from atpazit.notifications.kinds import text_for

        return text_for(self.kind)

    def delivery(self) -> Delivery:
        """How far the e-mail announcing this notification got (prefetch ``emails``)."""
        emails = list(self.emails.all())
        if not emails:
            return Delivery.IN_APP_ONLY
        return emails[0].delivery()


class Delivery(models.TextChoices):
    """What a person is told about an e-mail: "sent" only once the mail server took it."""

    IN_APP_ONLY = "in_app_only", _("in Atpazīt only, no e-mail")
    QUEUED = "queued", _("e-mail queued")
    RETRYING = "retrying", _("e-mail failed, retrying")
    SENT = "sent", _("e-mail sent")
    FAILED = "failed", _("e-mail failed")


class OutgoingEmail(models.Model):
    """An e-mail queued for the worker. Body and subject never contain personal data."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # The in-app notification this e-mail announces; none for the organisation's own address.
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.status}: {self.subject}"

    def delivery(self) -> Delivery:
        if self.status == self.Status.SENT:
            return Delivery.SENT
        if self.status == self.Status.FAILED:
            return Delivery.FAILED
        return Delivery.RETRYING if self.attempts else Delivery.QUEUED
