"""Frozen counts of closed calendar years (ADR 0028): the national figures of a year that has
ended, counted once by ``services.freeze_closed_years`` and read by the dashboard instead of
counting millions of rows again. Aggregates only: no person, no case, nothing to encrypt."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosedYear(models.Model):
    """The counts behind every national figure of one closed year (``selectors.Counts``)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    counts = models.JSONField(_("counts"))
    computed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("closed year's statistics")
        verbose_name_plural = _("closed years' statistics")

    def __str__(self) -> str:
        return f"statistics of {self.year}"
