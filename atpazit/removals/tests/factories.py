"""Factories for removal operations and manifests, one per state a test needs.

Factories write rows directly so a test can build any state — including a held person already
on a manifest (the hold came after). Tests of the services themselves call the services.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, actor_of, member
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.removals.models import ManifestEntry, RemovalOperation


class PlannedOperationFactory(factory.django.DjangoModelFactory):
    """A charter to Uzbekistan a week from now, planned by a Border Guard unit."""

    class Meta:
        model = RemovalOperation

    type = RemovalOperation.Type.CHARTER
    reference = factory.Sequence(lambda n: f"RP-2026/{100 + n}")
    departure_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    route = "Rīga – Taškenta"
    country_of_return = "UZ"
    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.BORDER_GUARD)
    status = RemovalOperation.Status.PLANNED


class ConfirmedOperationFactory(PlannedOperationFactory):
    status = RemovalOperation.Status.CONFIRMED


class CompletedOperationFactory(PlannedOperationFactory):
    departure_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    status = RemovalOperation.Status.COMPLETED


class CancelledOperationFactory(PlannedOperationFactory):
    status = RemovalOperation.Status.CANCELLED


class ManifestEntryFactory(factory.django.DjangoModelFactory):
    """A person of the operation's unit on its manifest (written directly, no guard)."""

    class Meta:
        model = ManifestEntry

    operation = factory.SubFactory(PlannedOperationFactory)
    person = factory.LazyAttribute(
        lambda entry: PersonFactory(organisation=entry.operation.organisation)
    )


def case_officer(organisation: Organisation | None = None, **fields: object) -> Actor:
    """A Border Guard case officer (may plan operations) in ``organisation``."""
    organisation = organisation or OrganisationFactory(type=OrganisationType.BORDER_GUARD)
    return actor_of(member("bg_case_officer", organisation, **fields))


def person_on(operation: RemovalOperation, **fields: object) -> Person:
    """A new person of the operation's unit, put on its manifest directly."""
    person = PersonFactory(organisation=operation.organisation, **fields)
    ManifestEntryFactory(operation=operation, person=person)
    return person


def held_person_on(operation: RemovalOperation, **fields: object) -> Person:
    """A person on the manifest on whom a hold was placed afterwards: a blocking conflict."""
    person = person_on(operation, **fields)
    ManualHoldFactory(person=person)
    return person


def operation_with(size: int, **fields: object) -> RemovalOperation:
    operation = PlannedOperationFactory(**fields)
    for _ in range(size):
        person_on(operation)
    return operation
