"""Factories per state for training records."""

from __future__ import annotations

import factory
from django.utils import timezone

from atpazit.accounts.roles import OrganisationType, Role
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.training.models import Attempt


class OpenAttemptFactory(factory.django.DjangoModelFactory):
    """An attempt started on a shipped scenario by a trainee of a college."""

    class Meta:
        model = Attempt

    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.COLLEGE)
    trainee = factory.LazyAttribute(lambda attempt: member(Role.TRAINEE, attempt.organisation))

    scenario_id = "labour-construction-intake"
    scenario_version = 1
    module = "indicators"
    exploitation_form = "unknown"


class CompletedAttemptFactory(OpenAttemptFactory):
    """A completed attempt that missed EX-01 and decided as the model answer does."""

    indicators = factory.LazyFunction(lambda: ["CD-01", "DR-01"])
    found = factory.LazyFunction(lambda: ["CD-01", "DR-01"])
    missed = factory.LazyFunction(lambda: ["EX-01"])
    decision = "raise_suspicion"
    reason = "Passport kept by the foreman."
    decision_correct = True
    score = 83
    completed_at = factory.LazyFunction(timezone.now)
