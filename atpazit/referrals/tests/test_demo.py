"""The demo set loads through the services, covers the journey's states, and loads only once
(every factory builds: tests/test_factories.py)."""

from __future__ import annotations

import pytest

from atpazit.accounts.demo import load as load_accounts
from atpazit.referrals import services
from atpazit.referrals.demo import load
from atpazit.referrals.models import AnonymousNotification, Referral, Suspicion

pytestmark = pytest.mark.django_db


def test_the_demo_covers_the_journey_and_loads_once():
    load_accounts()
    assert load() == ["referrals: 7 demo suspicions added (7 in the demo set)"]
    assert load() == ["referrals: 0 demo suspicions added (7 in the demo set)"]
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"sent", "accepted", "assessing", "recognised", "not_recognised"} <= statuses
    child = Suspicion.objects.get(child_path=True, orphans_court__isnull=False)
    assert services.current_appointment(child).decision_number == "BT/DEMO-2026-5"
    assert AnonymousNotification.objects.count() == 2
    codes = {services.identification_status(s).code for s in Suspicion.objects.all()}
    assert codes == {"pending", "identified"}
    assert all(s.hold.is_active for s in Suspicion.objects.all())


def test_the_demo_waits_for_the_demo_users():
    assert load() == ["referrals: demo users missing; load the accounts demo first"]
