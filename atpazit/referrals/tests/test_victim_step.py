"""The three-day step after recognition (Law on the Residence of a Victim of Trafficking,
s.4(1)): a non-EU national recognised by a provider's commission turns to the investigator
within 3 days; the provider helping them is reminded on day 2 and day 3 (no escalation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import tick
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.tests.factories import (
    AssessingReferralFactory,
    PoliceReferralFactory,
    suspicion_in,
)

pytestmark = pytest.mark.django_db
STEP = [Kind.VICTIM_STEP_REMINDER, Kind.VICTIM_STEP]


def recognise(user, referral):
    return services.record_commission_assessment(
        actor=actor_of(user),
        referral=referral,
        assessed_on=timezone.localdate(),
        members_present="Zane Ozola (sociālā darbiniece), Aivars Liepa (psihologs)",
        result="criteria_met",
        protocol_reference="MARTA-2026/21",
    )


def suspicion_about(riga, nationality):
    suspicion = suspicion_in(riga)
    suspicion.person.nationality = nationality
    suspicion.person.save(update_fields=["nationality"])
    return suspicion


def step_deadlines(suspicion):
    return Deadline.objects.filter(subject=f"referrals.suspicion:{suspicion.pk}", kind__in=STEP)


def test_recognition_of_a_non_eu_national_opens_the_step_for_the_provider(riga, marta, edgars):
    suspicion = suspicion_about(riga, "UZ")
    referral = AssessingReferralFactory(suspicion=suspicion, to_organisation=marta)

    recognise(edgars, referral)

    deadlines = {d.kind: d for d in step_deadlines(suspicion)}
    assert set(deadlines) == set(STEP)
    for kind, days in ((Kind.VICTIM_STEP_REMINDER, 2), (Kind.VICTIM_STEP, 3)):
        assert deadlines[kind].responsible_organisation == marta
        assert deadlines[kind].due_at - deadlines[kind].starts_at == dt.timedelta(days=days)


def test_an_eu_national_has_no_such_step(riga, marta, edgars):
    suspicion = suspicion_about(riga, "LT")
    referral = AssessingReferralFactory(suspicion=suspicion, to_organisation=marta)

    recognise(edgars, referral)

    assert not step_deadlines(suspicion).exists()


def test_the_provider_is_reminded_and_nothing_is_escalated(riga, marta, edgars, liga):
    suspicion = suspicion_about(riga, "UZ")
    recognise(edgars, AssessingReferralFactory(suspicion=suspicion, to_organisation=marta))

    tick(now=timezone.now() + dt.timedelta(days=2, minutes=1))

    assert Notification.objects.filter(kind="deadline.reminder", recipient=liga).count() == 1
    assert not Escalation.objects.exists()


def test_the_police_taking_the_case_meets_the_step(riga, marta, edgars, police, maris):
    suspicion = suspicion_about(riga, "UZ")
    recognise(edgars, AssessingReferralFactory(suspicion=suspicion, to_organisation=marta))
    police_track = PoliceReferralFactory(suspicion=suspicion, to_organisation=police)

    services.transition_referral(
        actor=actor_of(maris), referral=police_track, to_status="accepted", reason=""
    )

    assert all(d.met_at is not None for d in step_deadlines(suspicion))
    assert tick(now=timezone.now() + dt.timedelta(days=4)) == {"escalated": 0, "reminded": 0}
