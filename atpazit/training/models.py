"""Training records: practice attempts, trainer-authored scenario versions, certificates.

Training data never mixes with case data (issue 13): these models hold invented scenarios and a
trainee's answers to them; no model here refers to a ``cases.Person`` or a screening session,
and no statistic or case list reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.screening.models import Decision

REASON_MAX_LENGTH = 2000


class AuthoredScenario(models.Model):
    """One version of a scenario a trainer wrote in the application, stored as the validated
    data of ``library.Scenario``; the newest version of an id is the one practised in the
    author's organisation, and only there (versions are numbered per organisation)."""

    scenario_id = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scenario_id", "version"],
                name="training_scenario_org_version_unique",
            )
        ]
        ordering = ["scenario_id", "-version"]

    def __str__(self) -> str:
        return f"{self.scenario_id} v{self.version}"


class Attempt(models.Model):
    """One practice of one scenario version by one trainee: the questions asked, the interview
    form as filled in, the decision, and the feedback computed when it was completed."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attempts"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    scenario_id = models.CharField(max_length=60)
    scenario_version = models.PositiveIntegerField()
    # The trainer's version it was taken on, when not a shipped file: a later release may ship
    # a file with the same number, and the attempt must keep what the trainee actually saw.
    authored = models.ForeignKey(
        AuthoredScenario, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The course module the attempt counts for; empty for free practice in the library.
    module = models.CharField(max_length=40, blank=True)
    asked = models.JSONField(default=list)
    form_values = models.JSONField(default=dict)
    indicators = models.JSONField(default=list)
    exploitation_form = models.CharField(max_length=24, blank=True)
    treat_as_child = models.BooleanField(default=False)
    decision = models.CharField(max_length=32, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    assessment = models.JSONField(null=True, blank=True)
    found = models.JSONField(default=list)
    missed = models.JSONField(default=list)
    extra = models.JSONField(default=list)
    decision_correct = models.BooleanField(null=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["trainee", "module", "completed_at"])]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.scenario_id}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


class Certificate(models.Model):
    """The course completion certificate of one trainee (issued once, downloaded any time)."""

    trainee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_certificate"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    issued_at = models.DateTimeField()
    # The module scores at issue, {module code: score}, as the certificate prints them.
    scores = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.number
