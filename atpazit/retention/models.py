"""Runs of the purge, the cases it anonymised, and legal holds that stop it (DESIGN §7).

Nothing here holds personal data: counts, codes, ids and dates only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.cases.models import Person
from atpazit.lib.fields import EncryptedTextField


class PurgeRun(models.Model):
    """One run of the purge: a dry run (counts only) or an applied one, with its counts per
    record type and, for the cases it kept, per reason."""

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("dry run (nothing changed)")
        APPLY = "apply", _("applied")

    class Trigger(models.TextChoices):
        COMMAND = "command", _("command")
        SCHEDULE = "schedule", _("schedule")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("purge run", "queued")
        RUNNING = "running", pgettext_lazy("purge run", "running")
        FINISHED = "finished", pgettext_lazy("purge run", "finished")
        FAILED = "failed", pgettext_lazy("purge run", "stopped by an error")

    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The periods in force for this run, in days per record type code.
    periods = models.JSONField(default=dict)
    # Per record type code: how many records were (or would be) anonymised or deleted.
    counts = models.JSONField(default=dict)
    # Cases past their period that were kept, per reason code (liveness.REASONS).
    kept = models.JSONField(default=dict)
    batches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")

    def __str__(self) -> str:
        return f"purge run {self.pk} ({self.mode}, {self.status})"


class PurgedCase(models.Model):
    """A record the purge anonymised: later runs pass over it (idempotent, resumable) unless the
    case has activity after ``last_activity_at`` (anonymised again in turn, the row then says
    when), and the report can say when. One row per person record, not per human."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(PurgeRun, on_delete=models.PROTECT, related_name="purged_cases")
    purged_at = models.DateTimeField(auto_now_add=True)
    # The end of the last activity the period was counted from.
    last_activity_at = models.DateTimeField()

    class Meta:
        ordering = ["-purged_at", "-pk"]

    def __str__(self) -> str:
        return f"purged {self.person_id}"


class LegalHold(models.Model):
    """Stops the purge of a case (and of every record linked with it as the same human) while a
    court case, a complaint, a data subject's request or an investigation needs it. Placed by
    the data protection officer or the system administrator (the reason is a code); lifted by
    the data protection officer only, with a written reason (encrypted, never in the audit)."""

    class Reason(models.TextChoices):
        COURT = "court", _("court proceedings")
        COMPLAINT = "complaint", _("complaint (Ombudsman, Data State Inspectorate)")
        DATA_SUBJECT = "data_subject", _("request of the data subject")
        INVESTIGATION = "investigation", _("criminal investigation")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    placed_at = models.DateTimeField(auto_now_add=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = EncryptedTextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["person", "lifted_at"])]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"legal hold {self.pk} on {self.person_id}"
