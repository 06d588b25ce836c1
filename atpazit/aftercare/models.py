"""After identification: SIVA's service decision, rehabilitation, residence permit, return
decision (moved from referrals; the tables keep their referrals_ names and encrypted fields their referrals.* encryption context, so
no row is moved or re-encrypted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.referrals.models import Suspicion

USER = settings.AUTH_USER_MODEL


class ServiceRequest(models.Model):
    """A provider's request to SIVA for a service decision, once the person is identified. SIVA
    sees only persons with a request addressed to it, and only what the decision needs."""

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="service_requests"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_requests_received"
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        db_table = "referrals_servicerequest"  # the table of the referrals app, kept
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["to_organisation", "-requested_at"])]

    def __str__(self) -> str:
        return f"service request {self.pk} -> {self.to_organisation_id}"


class ServiceDecision(models.Model):
    """SIVA's decision on state-funded social rehabilitation (3 working days)."""

    class Decision(models.TextChoices):
        ASSIGNED = "assigned", _("service assigned")
        QUEUED = "queued", _("placed in the queue")
        REFUSED = "refused", _("service refused")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="service_decisions"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("decision reference"), max_length=64, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )

    class Meta:
        db_table = "referrals_servicedecision"  # the table of the referrals app, kept
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"SIVA {self.decision}"


class Rehabilitation(models.Model):
    """State-funded social rehabilitation: up to 180 days from the start."""

    suspicion = models.OneToOneField(
        Suspicion, on_delete=models.PROTECT, related_name="rehabilitation"
    )
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        db_table = "referrals_rehabilitation"  # the table of the referrals app, kept

    def __str__(self) -> str:
        return f"rehabilitation from {self.started_on}"


class ResidencePermit(models.Model):
    """The residence-permit track that may follow the reflection period."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="residence_permits"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    status_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        db_table = "referrals_residencepermit"  # the table of the referrals app, kept
        ordering = ["-status_on", "-pk"]

    def __str__(self) -> str:
        return f"residence permit {self.status}"


class ReturnDecision(models.Model):
    """The return decision recorded after identification: with a granted residence permit, what
    lets a recognised person's hold end. Assisted voluntary return is also a closure path."""

    class Kind(models.TextChoices):
        VOLUNTARY_RETURN = "voluntary_return", _("assisted voluntary return agreed")
        REMOVAL = "removal", _("return decision in force: removal may be rescheduled")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="return_decisions"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("decision reference"), max_length=64)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "referrals_returndecision"  # the table of the referrals app, kept
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"return decision {self.kind}"
