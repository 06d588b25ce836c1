"""The referral flow's deadlines count Latvian working days and, when missed, `atpazit tick`
escalates them to the Ombudsman (DESIGN.md §6). Time moves with time_machine."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from atpazit.accounts.tests.factories import actor_of
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import tick
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from tests.clock import riga_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_on(janis, person, marta, police):
    """Raise, record consent and send both tracks at a given moment."""

    def send(moment: dt.datetime):
        with time_machine.travel(moment, tick=False):
            suspicion = services.raise_suspicion(
                actor=actor_of(janis), person=person, reason="Parāds vervētājam."
            )
            services.record_consent(
                actor=actor_of(janis),
                suspicion=suspicion,
                decision="given",
                scope="both",
                language="ru",
                explained_on=moment.date(),
            )
            return services.send_referrals(
                actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
            )

    return send


def test_an_unanswered_referral_escalates_to_the_ombudsman_after_the_holiday(
    send_on, marta, liga, dace, ombudsman
):
    provider, _police = send_on(
        riga_time(2026, 11, 17, 10)
    )  # Tuesday; 18 November is a public holiday
    deadline = Deadline.objects.get(kind=Kind.PROVIDER_RESPONSE)
    assert deadline.due_at == riga_time(2026, 11, 20, 17)  # two working days, skipping the holiday
    with time_machine.travel(riga_time(2026, 11, 19, 16), tick=False):
        assert tick()["escalated"] == 1  # only the Border Guard's same-day hold confirmation
    with time_machine.travel(riga_time(2026, 11, 20, 17, 5), tick=False):
        call_command("tick")
    escalation = Escalation.objects.get(summary_code="deadline.provider_response.overdue")
    assert (escalation.responsible_organisation, escalation.case_number) == (
        marta,
        provider.suspicion.person.case_number,
    )
    assert Notification.objects.filter(kind="escalation.raised", recipient=dace).exists()
    assert Notification.objects.filter(kind="deadline.overdue", organisation=marta).exists()


def test_over_christmas_the_clock_stops(send_on):
    send_on(riga_time(2026, 12, 23, 9))
    assert Deadline.objects.get(kind=Kind.PROVIDER_RESPONSE).due_at == riga_time(2026, 12, 29, 17)
    with time_machine.travel(riga_time(2026, 12, 28, 12), tick=False):
        tick()
    assert not Escalation.objects.filter(summary_code="deadline.provider_response.overdue").exists()


def test_an_answer_in_time_meets_the_deadline_and_nothing_escalates(send_on, liga, maris):
    provider, police_track = send_on(riga_time(2026, 11, 23, 9))
    with time_machine.travel(riga_time(2026, 11, 24, 11), tick=False):
        services.transition_referral(actor=actor_of(liga), referral=provider, to_status="accepted")
        services.transition_referral(
            actor=actor_of(maris),
            referral=police_track,
            to_status="declined",
            reason="Nav piekritīgs.",
        )
    with time_machine.travel(riga_time(2026, 12, 31, 12), tick=False):
        tick()
    assert not Escalation.objects.filter(
        summary_code__in=["deadline.provider_response.overdue", "deadline.police_response.overdue"]
    ).exists()
    assert (
        Deadline.objects.filter(
            kind__in=[Kind.PROVIDER_RESPONSE, Kind.POLICE_RESPONSE], met_at__isnull=False
        ).count()
        == 2
    )


def test_a_hold_raised_on_saturday_is_due_for_confirmation_on_monday(janis, person, ombudsman):
    with time_machine.travel(riga_time(2026, 11, 28, 9), tick=False):
        services.raise_suspicion(actor=actor_of(janis), person=person, reason="Pase atņemta.")
    assert Deadline.objects.get(kind=Kind.HOLD_CONFIRMATION).due_at == riga_time(2026, 11, 30, 17)
    with time_machine.travel(riga_time(2026, 11, 30, 17, 1), tick=False):
        tick()
    assert Escalation.objects.filter(
        summary_code="deadline.hold_confirmation.overdue", case_number=person.case_number
    ).exists()
