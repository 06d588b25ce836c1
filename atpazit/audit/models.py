"""The append-only audit trail, kept as a keyed hash chain.

Each event's link is an HMAC, under a key kept outside the database, of the previous event's link
and the event's canonical content; the chain head remembers the last link, the count and the key in
use, so ``atpazit audit verify`` detects an edited, inserted or deleted event, and a signed
checkpoint held elsewhere detects a rewrite even by someone with the key (audit/chain.py).
Events carry codes and ids, never personal data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        DENIED = "denied", _("denied")
        FAILURE = "failure", _("failure")

    # Our own gap-free counter: database sequences skip numbers on rollback, ours rolls back too.
    sequence = models.BigIntegerField(_("number"), unique=True)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("user"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(
        _("organisation id"), null=True, blank=True, db_index=True
    )
    organisation_label = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The chain key (ATPAZIT_AUDIT_KEYS) the link is an HMAC under; empty for events written
    # before the chain was keyed, which are plain SHA-256 links.
    key_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.outcome}"


class ChainHead(models.Model):
    """One row: the last hash and the number of events, so a deleted tail is detected too, and
    the key the last event was linked with, so a change of key is recorded in the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    event_count = models.BigIntegerField(default=0)
    key_id = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.event_count} events, last {self.last_hash[:12]}"


class Disclosure(models.Model):
    """One disclosure of personal data from one organisation to another (I6), with its legal
    basis and purpose, readable by the auditor. The data itself is not copied here."""

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("consent of the person")
        LAW = "law", _("legal obligation or public task")
        VITAL_INTERESTS = "vital_interests", _("vital interests of the person")
        NONE_ANONYMOUS = "anonymous", _("no personal data (anonymous notification)")

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    case_number = models.CharField(_("case number"), max_length=20, blank=True, db_index=True)
    subject = models.CharField(
        _("object"), max_length=64, help_text="app.model:pk of what was disclosed"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    data_categories = models.JSONField(_("data categories"), default=list)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")

    def __str__(self) -> str:
        return f"{self.subject}: {self.from_organisation_id} -> {self.to_organisation_id}"
