"""Factories for the after-identification follow-up (SIVA's service decision, rehabilitation,
the residence permit, the return decision), one per state. Every name is invented."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, UserFactory
from atpazit.aftercare.models import (
    Rehabilitation,
    ResidencePermit,
    ReturnDecision,
    ServiceDecision,
    ServiceRequest,
)
from atpazit.referrals.tests.factories import ConsentedSuspicionFactory


def today() -> dt.date:
    return timezone.localdate()


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A provider asked SIVA for a service decision today."""

    class Meta:
        model = ServiceRequest

    suspicion = factory.SubFactory(ConsentedSuspicionFactory)
    to_organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.SIVA)
    requested_by = factory.SubFactory(UserFactory)
    requested_by_organisation = factory.SubFactory(
        OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER
    )


class AssignedServiceDecisionFactory(factory.django.DjangoModelFactory):
    """SIVA assigned the service today."""

    class Meta:
        model = ServiceDecision

    request = factory.SubFactory(ServiceRequestFactory)
    suspicion = factory.SelfAttribute("request.suspicion")
    decision = ServiceDecision.Decision.ASSIGNED
    decided_on = factory.LazyFunction(today)
    reference = "SIVA-2026/55"
    decided_by = factory.SubFactory(UserFactory)


class RehabilitationFactory(factory.django.DjangoModelFactory):
    """Social rehabilitation started today at a provider."""

    class Meta:
        model = Rehabilitation

    suspicion = factory.SubFactory(ConsentedSuspicionFactory)
    provider = factory.SubFactory(OrganisationFactory, type=OrganisationType.SERVICE_PROVIDER)
    started_on = factory.LazyFunction(today)


class GrantedResidencePermitFactory(factory.django.DjangoModelFactory):
    """A temporary residence permit granted today for six months."""

    class Meta:
        model = ResidencePermit

    suspicion = factory.SubFactory(ConsentedSuspicionFactory)
    status = ResidencePermit.Status.GRANTED
    status_on = factory.LazyFunction(today)
    valid_until = factory.LazyFunction(lambda: today() + dt.timedelta(days=183))
    reference = "PMLP-2026/9"
    recorded_by = factory.SelfAttribute("suspicion.raised_by")


class ReturnDecisionFactory(factory.django.DjangoModelFactory):
    """The person chose assisted voluntary return today."""

    class Meta:
        model = ReturnDecision

    suspicion = factory.SubFactory(ConsentedSuspicionFactory)
    kind = ReturnDecision.Kind.VOLUNTARY_RETURN
    decided_on = factory.LazyFunction(today)
    reference = "RS-2026/AVR-3"
    recorded_by = factory.SelfAttribute("suspicion.raised_by")
