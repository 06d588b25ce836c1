"""Deadlines that someone must meet; overdue ones escalate to the Ombudsman (DESIGN.md §6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.deadlines.rules import Kind


class Deadline(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # What it is about, as "app.model:pk"; the case number is what people see.
    subject = models.CharField(max_length=64, db_index=True)
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    link = models.CharField(max_length=300, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("responsible"),
    )
    starts_at = models.DateTimeField(_("starts"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    fired_at = models.DateTimeField(_("escalated or reminded"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["responsible_organisation", "met_at", "cancelled_at"])]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None
