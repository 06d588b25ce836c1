"""The one set of "which side is the actor on" rules (referrals.access), and the service checks
built on them: an actor without an organisation is on no side, whatever the record holds."""

from __future__ import annotations

import pytest

from atpazit.accounts.access import Actor
from atpazit.accounts.models import User
from atpazit.cases.models import Person
from atpazit.referrals import access, services
from atpazit.referrals.models import Referral, Suspicion


@pytest.fixture
def nobody() -> Actor:
    return Actor(user=User(username="nobody", is_active=True), membership=None)


@pytest.fixture
def orphan_suspicion() -> Suspicion:
    """A suspicion whose organisations are not set (as no saved one is): None must not match."""
    return Suspicion(person=Person(organisation_id=None), raised_by_organisation_id=None)


def test_an_actor_without_an_organisation_is_on_no_side(nobody, orphan_suspicion):
    referral = Referral(suspicion=orphan_suspicion, to_organisation_id=None)

    assert not access.is_sender(nobody, orphan_suspicion)
    assert not access.is_unit(nobody, orphan_suspicion)
    assert not access.is_receiver(nobody, referral)


def test_the_service_checks_refuse_an_actor_on_no_side(nobody, orphan_suspicion):
    referral = Referral(suspicion=orphan_suspicion, to_organisation_id=None)

    with pytest.raises(services.NotAllowed):
        services.check_sender(nobody, orphan_suspicion)
    with pytest.raises(services.NotAllowed):
        services.check_unit(nobody, orphan_suspicion)
    with pytest.raises(services.NotAllowed):
        services.check_receiver(nobody, referral)
