"""Deadlines count Latvian working days, fire once when due, and escalate to the Ombudsman."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind, due_at
from atpazit.deadlines.services import meet_deadlines, open_deadline, tick
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from tests.clock import riga_time

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "start", "due", "why"),
    [
        (
            Kind.PROVIDER_RESPONSE,
            riga_time(2026, 11, 26, 10),
            riga_time(2026, 11, 30, 17),
            "Thursday + 2 working days",
        ),
        (
            Kind.PROVIDER_RESPONSE,
            riga_time(2026, 11, 17, 10),
            riga_time(2026, 11, 20, 17),
            "over 18 November",
        ),
        (
            Kind.PROVIDER_RESPONSE,
            riga_time(2026, 12, 23, 9),
            riga_time(2026, 12, 29, 17),
            "over Christmas",
        ),
        (
            Kind.PROVIDER_RESPONSE,
            riga_time(2026, 11, 26, 18),
            riga_time(2026, 12, 1, 17),
            "after closing the clock starts tomorrow",
        ),
        (
            Kind.HOLD_CONFIRMATION,
            riga_time(2026, 11, 27, 9),
            riga_time(2026, 11, 27, 17),
            "same working day",
        ),
        (
            Kind.HOLD_CONFIRMATION,
            riga_time(2026, 11, 28, 9),
            riga_time(2026, 11, 30, 17),
            "Saturday: by Monday",
        ),
        (
            Kind.SIVA_DECISION,
            riga_time(2026, 4, 2, 12),
            riga_time(2026, 4, 9, 17),
            "3 working days over Easter",
        ),
        (
            Kind.RECOMMENDATION_RESPONSE,
            riga_time(2026, 11, 1, 12),
            riga_time(2026, 12, 1, 12),
            "30 calendar days",
        ),
    ],
)
def test_due_dates(kind, start, due, why):
    assert due_at(kind, start) == due, why


def test_a_reminder_whose_moment_its_app_sets_is_opened_with_due_at(marta, liga):
    """The reflection period's reminders have no length here (ATPAZIT_REFLECTION_DAYS is the one
    place): opened without due_at they are refused, never silently due the same day."""
    with pytest.raises(ValueError, match="due_at"):
        open_deadline(kind=Kind.REFLECTION_END, subject=marta, responsible_organisation=marta)
    start, due = riga_time(2026, 11, 1, 0), riga_time(2026, 12, 1, 0)
    deadline = open_deadline(
        kind=Kind.REFLECTION_END,
        subject=marta,
        responsible_organisation=marta,
        starts_at=start,
        due_at=due,
    )
    assert (deadline.starts_at, deadline.due_at) == (start, due)


def test_deadline_rules_can_be_configured(settings):
    settings.ATPAZIT_DEADLINES = {Kind.PROVIDER_RESPONSE: {"working_days": 5}}
    assert due_at(Kind.PROVIDER_RESPONSE, riga_time(2026, 11, 23, 10)) == riga_time(
        2026, 11, 30, 17
    )


def test_an_overdue_provider_response_escalates_to_the_ombudsman_once(marta, liga, ombudsman, dace):
    with time_machine.travel(riga_time(2026, 12, 23, 9), tick=False):
        deadline = open_deadline(
            kind=Kind.PROVIDER_RESPONSE,
            subject=marta,
            responsible_organisation=marta,
            case_number="AT-2026-000009",
            link="/referrals/9/",
        )
    with time_machine.travel(riga_time(2026, 12, 28, 12), tick=False):  # holidays: not yet due
        assert tick() == {"escalated": 0, "reminded": 0}
    with time_machine.travel(riga_time(2026, 12, 29, 17, 1), tick=False):
        assert tick() == {"escalated": 1, "reminded": 0}
        assert tick() == {"escalated": 0, "reminded": 0}
    escalation = Escalation.objects.get()
    assert (escalation.kind, escalation.case_number, escalation.responsible_organisation) == (
        "deadline_overdue",
        "AT-2026-000009",
        marta,
    )
    assert Notification.objects.filter(organisation=ombudsman, kind="escalation.raised").exists()
    assert Notification.objects.filter(organisation=marta, kind="deadline.overdue").exists()
    deadline.refresh_from_db()
    assert deadline.fired_at is not None


def test_a_met_deadline_never_fires(marta, liga, ombudsman, dace):
    with time_machine.travel(riga_time(2026, 11, 23, 9), tick=False):
        open_deadline(kind=Kind.PROVIDER_RESPONSE, subject=marta, responsible_organisation=marta)
        meet_deadlines(subject=marta)
    with time_machine.travel(riga_time(2026, 12, 23, 9), tick=False):
        assert tick() == {"escalated": 0, "reminded": 0}
    assert not Escalation.objects.exists()


def test_a_reminder_notifies_the_responsible_organisation_without_escalating(
    marta, liga, ombudsman, dace
):
    with time_machine.travel(riga_time(2026, 11, 1, 9), tick=False):
        open_deadline(
            kind=Kind.REFLECTION_DAY_25,
            subject=marta,
            responsible_organisation=marta,
            due_at=riga_time(2026, 11, 26, 9),
        )
    with time_machine.travel(riga_time(2026, 11, 26, 10), tick=False):
        assert tick() == {"escalated": 0, "reminded": 1}
    assert not Escalation.objects.exists()
    assert Notification.objects.filter(organisation=marta, kind="deadline.reminder").exists()


def test_the_tick_command_runs_once(marta, liga, capsys):
    with time_machine.travel(riga_time(2026, 11, 2, 9), tick=False):
        open_deadline(kind=Kind.HOLD_CONFIRMATION, subject=marta, responsible_organisation=marta)
    with time_machine.travel(riga_time(2026, 11, 3, 9), tick=False):
        call_command("tick")
    assert "1 escalated" in capsys.readouterr().out
    assert Deadline.objects.get().fired_at is not None


def test_the_dashboard_lists_open_deadlines_soonest_first(marta, liga, client_for):
    from django.urls import reverse

    open_deadline(
        kind=Kind.SIVA_DECISION,
        subject=marta,
        responsible_organisation=marta,
        case_number="AT-B",
    )
    open_deadline(
        kind=Kind.HOLD_CONFIRMATION,
        subject=marta,
        responsible_organisation=marta,
        case_number="AT-A",
    )
    page = client_for(liga).get(reverse("web:dashboard")).content.decode()
    assert page.index("AT-A") < page.index("AT-B")
