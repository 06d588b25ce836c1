"""Escalations to the Ombudsman: overrides, overdue deadlines, blocking conflicts. Never silent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.lib.fields import EncryptedTextField


class Escalation(models.Model):
    class Kind(models.TextChoices):
        HOLD_OVERRIDE = "hold_override", _("removal hold overridden")
        HOLD_RELEASED = "hold_released", _("removal hold released")
        REMOVAL_CONFLICT = "removal_conflict", _("blocking conflict on a removal operation")
        DEADLINE_OVERDUE = "deadline_overdue", _("deadline overdue")
        DUPLICATE_DISMISSED = (
            "duplicate_dismissed",
            _("likely duplicate of a held person confirmed as another person"),
        )
        LATE_NOTICE = "late_notice", _("monitoring notice given late")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The organisation that must act; the Ombudsman sees every escalation.
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="escalations", null=True, blank=True
    )
    # What it is about, as "app.model:pk" plus the case number shown to people (no names).
    subject = models.CharField(max_length=64)
    case_number = models.CharField(max_length=20, blank=True)
    # The page of what it is about, when that is not a person's case (a monitoring
    # recommendation's overdue response carries "R-<n>", which no case search finds).
    link = models.CharField(max_length=300, blank=True)
    # What it is about now: a conflict that changes its nature (an unscreened child who is then
    # held) updates it (``services.update_escalation_summary``), so the label shown follows.
    summary_code = models.CharField(
        max_length=80, help_text="a stable code such as 'referral.accept_overdue'"
    )
    # The codes it carried before, oldest first: a question once asked stays known.
    earlier_summary_codes = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = EncryptedTextField(blank=True)
    # A system resolution (escalations/labels.py RESOLUTIONS), rendered in the reader's language.
    resolution_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["resolved_at", "kind"])]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

    def ever_had(self, code: str) -> bool:
        """Whether the escalation is, or once was, about ``code``."""
        return code == self.summary_code or code in self.earlier_summary_codes

    def summary_text(self) -> str:
        """What happened, in the active language (escalations/labels.py), never the code."""
        from atpazit.escalations.labels import summary_label

        return summary_label(self.summary_code, str(self.get_kind_display()))

    def resolution_text(self) -> str:
        """How it was resolved by itself, in the active language ("" if a person closed it)."""
        from atpazit.escalations.labels import resolution_label

        return resolution_label(self.resolution_code) if self.resolution_code else ""
