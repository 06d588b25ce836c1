"""Factories for persons and holds, one per state a test needs. Every name is invented.

Factories write the rows directly (with name tokens, so search works); tests of the services
themselves call the services.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory
from atpazit.cases.matching import store_identity_keys
from atpazit.cases.models import DetentionCentre, Hold, Person, PersonNameToken
from atpazit.lib.blind_index import name_tokens


class PersonFactory(factory.django.DjangoModelFactory):
    """A registered adult in Mucenieki with a forced-removal decision."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    case_number = factory.Sequence(lambda n: f"AT-2026-{900000 + n:06d}")
    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.BORDER_GUARD)
    given_names = "Dilshod"
    family_name = factory.Sequence(lambda n: f"Karimov{n}")
    birth_year = 1994
    sex = "male"
    nationality = "UZ"
    languages = factory.LazyFunction(lambda: ["uz", "ru"])
    preferred_language = "uz"
    detention_centre = DetentionCentre.MUCENIEKI
    detained_since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    detention_court_order_on = factory.LazyFunction(timezone.localdate)
    return_decision_type = "forced_removal"
    return_decision_reference = factory.Sequence(lambda n: f"RS-2026/{n}")
    return_decision_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=5)
    )

    @factory.post_generation
    def tokens(obj: Person, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            index_names(obj)


def index_names(person: Person) -> None:
    """The blind indexes a registration stores: name tokens for search, identity keys for
    matching."""
    store_identity_keys(person)
    tokens = set()
    for value in (person.given_names, person.family_name, person.aliases):
        tokens |= name_tokens(value or "")
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(PersonNameToken(person=person, token=t) for t in tokens)


class RemovalPlannedPersonFactory(PersonFactory):
    status = Person.Status.REMOVAL_PLANNED
    planned_removal_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=7)
    )


class ChildPersonFactory(PersonFactory):
    given_names = "Aziz"
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 15)


class AgeDisputedPersonFactory(PersonFactory):
    age_disputed = True
    birth_year = 2000


class ManualHoldFactory(factory.django.DjangoModelFactory):
    """An active manual hold, confirmed at once as manual holds are."""

    class Meta:
        model = Hold

    person = factory.SubFactory(PersonFactory)
    cause = Hold.Cause.MANUAL
    reason = "Stāsta par parādu darba devējam; pase atņemta."
    confirmed_at = factory.LazyFunction(timezone.now)


class SuspicionHoldFactory(ManualHoldFactory):
    """A hold raised by a suspicion, waiting for the Border Guard to confirm it."""

    cause = Hold.Cause.SUSPICION
    cause_reference = "screening:1"
    confirmed_at = None


class ReleasedHoldFactory(ManualHoldFactory):
    released_at = factory.LazyFunction(timezone.now)
    release_reason = "Pārbaudīts; nav pazīmju."
    release_decision_reference = "RS-2026/77"


def person_in(organisation: Organisation, **fields: object) -> Person:
    return PersonFactory(organisation=organisation, **fields)
