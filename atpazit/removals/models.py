"""Removal operations, their manifests and their status history (DESIGN §3 step 8, I1).

A manifest never holds a person under an active removal hold: every path that adds a person,
confirms an operation or marks a person departed goes through ``atpazit.removals.services``,
which calls the one guard ``atpazit.cases.holds.ensure_no_active_hold``. A hold placed on a
person who is already on a manifest is a *blocking conflict* (see ``selectors.conflicts_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person


class RemovalOperation(models.Model):
    """One removal: a scheduled flight, a charter or a land escort, run by a Border Guard unit."""

    class Type(models.TextChoices):
        SCHEDULED_FLIGHT = "scheduled_flight", _("scheduled flight")
        CHARTER = "charter", _("charter flight")
        LAND_ESCORT = "land_escort", _("land escort")

    class Status(models.TextChoices):
        # Latvian and Russian statuses agree with the noun: an operation is "atcelta".
        PLANNED = "planned", pgettext_lazy("removal operation", "planned")
        CONFIRMED = "confirmed", pgettext_lazy("removal operation", "confirmed")
        COMPLETED = "completed", pgettext_lazy("removal operation", "completed")
        CANCELLED = "cancelled", pgettext_lazy("removal operation", "cancelled")

    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    reference = models.CharField(
        _("reference"),
        max_length=40,
        blank=True,
        help_text=_("The unit's own number for the operation, if it has one."),
    )
    departure_at = models.DateTimeField(_("departure"))
    route = models.CharField(
        _("route"), max_length=200, help_text=_("For example: Riga – Istanbul – Tashkent.")
    )
    country_of_return = models.CharField(
        _("country of return"), max_length=2, help_text=_("ISO 3166-1 alpha-2")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="removal_operations",
        verbose_name=_("Border Guard unit"),
    )
    escort_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escort leader"),
    )
    escort_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("escort team")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # Optimistic concurrency: every change of the operation's own fields or status bumps it.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["departure_at", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "departure_at"]),
            models.Index(fields=["departure_at"]),
        ]
        verbose_name = _("removal operation")
        verbose_name_plural = _("removal operations")

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def manifest_is_open(self) -> bool:
        """Persons may be added or removed only while the operation has not ended."""
        return self.status in OPEN_STATUSES

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.Status(self.status)]


# The status flow, as data: planned -> confirmed -> completed, and either may be cancelled.
TRANSITIONS: dict[RemovalOperation.Status, frozenset[RemovalOperation.Status]] = {
    RemovalOperation.Status.PLANNED: frozenset(
        {RemovalOperation.Status.CONFIRMED, RemovalOperation.Status.CANCELLED}
    ),
    RemovalOperation.Status.CONFIRMED: frozenset(
        {RemovalOperation.Status.COMPLETED, RemovalOperation.Status.CANCELLED}
    ),
    RemovalOperation.Status.COMPLETED: frozenset(),
    RemovalOperation.Status.CANCELLED: frozenset(),
}

OPEN_STATUSES = frozenset({RemovalOperation.Status.PLANNED, RemovalOperation.Status.CONFIRMED})


class OperationStatusChange(models.Model):
    """A row per status change of an operation (history is data, not a log line)."""

    operation = models.ForeignKey(
        RemovalOperation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=RemovalOperation.Status.choices)
    to_status = models.CharField(max_length=12, choices=RemovalOperation.Status.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.from_status} -> {self.to_status}"


class ManifestEntry(models.Model):
    """A person on an operation's manifest. Created only by ``services.add_to_manifest`` and
    ``services.import_manifest``, both of which refuse a person under an active hold."""

    operation = models.ForeignKey(
        RemovalOperation, on_delete=models.CASCADE, related_name="manifest"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="manifest_entries")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__case_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "person"], name="one_manifest_entry_per_person"
            )
        ]
        verbose_name = _("manifest entry")
        verbose_name_plural = _("manifest entries")

    def __str__(self) -> str:
        return f"{self.operation_id}:{self.person_id}"
