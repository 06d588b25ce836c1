"""After SIVA's decision: rehabilitation with its 180-day counter, the residence-permit track, and
the return decision; a granted permit or a recorded return decision is what lets a recognised
person's hold end, and assisted voluntary return closes the case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.aftercare import services as aftercare
from atpazit.aftercare.models import Rehabilitation, ResidencePermit, ReturnDecision
from atpazit.aftercare.tests.factories import AssignedServiceDecisionFactory, ServiceRequestFactory
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.cases.models import Hold
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.notifications.models import Notification
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral
from atpazit.reflection import services as reflection
from atpazit.reflection.tests.factories import ReflectionPeriodFactory
from tests.clock import riga_time

pytestmark = pytest.mark.django_db


def assigned(case, decided_on=None):
    request = ServiceRequestFactory(
        suspicion=case.suspicion,
        to_organisation=case.siva,
        requested_by=case.liga,
        requested_by_organisation=case.provider,
    )
    return AssignedServiceDecisionFactory(
        request=request, decided_by=case.sanita, decided_on=decided_on or timezone.localdate()
    )


def start(case, started_on=None) -> Rehabilitation:
    return aftercare.start_rehabilitation(
        actor=actor_of(case.liga),
        suspicion=case.suspicion,
        started_on=started_on or timezone.localdate(),
    )


def permit(
    user, suspicion, status, status_on=None, valid_until=None, reference="PMLP-2026/9"
) -> ResidencePermit:
    return aftercare.record_residence_permit(
        actor=actor_of(user),
        suspicion=suspicion,
        status=status,
        status_on=status_on or timezone.localdate(),
        valid_until=valid_until,
        reference=reference,
    )


def return_decision(user, suspicion, kind="voluntary_return") -> ReturnDecision:
    return aftercare.record_return_decision(
        actor=actor_of(user),
        suspicion=suspicion,
        kind=kind,
        decided_on=timezone.localdate(),
        reference="RS-2026/AVR-3",
    )


# --- rehabilitation ---------------------------------------------------------------------------


def test_rehabilitation_starts_only_after_siva_assigned_the_service(cast):
    case = cast()
    with pytest.raises(core.ServiceError, match="after SIVA has assigned"):
        start(case)
    assigned(case)
    rehabilitation = start(case)
    assert (rehabilitation.provider, rehabilitation.started_on) == (
        case.provider,
        timezone.localdate(),
    )
    assert Disclosure.objects.filter(
        from_organisation=case.provider, to_organisation=case.siva
    ).exists()
    with pytest.raises(core.ServiceError, match="already recorded"):
        start(case)


def test_the_counter_shows_days_used_and_left_and_the_reminder_comes_after_180_days(cast):
    with time_machine.travel(riga_time(2026, 1, 5, 10), tick=False):
        case = cast()
        assigned(case)
        rehabilitation = start(case)
        counter = aftercare.rehabilitation_counter(rehabilitation)
        assert (counter.used, counter.left, counter.last_day) == (1, 179, dt.date(2026, 7, 3))
    deadline = Deadline.objects.get(kind=Kind.REHABILITATION_END)
    assert deadline.due_at == riga_time(2026, 7, 4)
    with time_machine.travel(riga_time(2026, 3, 15, 10), tick=False):
        counter = aftercare.rehabilitation_counter(rehabilitation)
        assert (counter.used, counter.left, counter.over) == (70, 110, False)
    with time_machine.travel(riga_time(2026, 7, 3, 23, 0), tick=False):
        call_command("tick")
        assert not Notification.objects.filter(kind="deadline.reminder").exists()
    with time_machine.travel(riga_time(2026, 7, 4, 0, 5), tick=False):
        call_command("tick")
        assert Notification.objects.filter(kind="deadline.reminder", recipient=case.liga).exists()
        assert aftercare.rehabilitation_counter(rehabilitation).over


def test_the_provider_page_shows_the_counter(cast, client_for):
    with time_machine.travel(riga_time(2026, 1, 5, 10), tick=False):
        case = cast()
        assigned(case)
        start(case)
    with time_machine.travel(riga_time(2026, 3, 15, 10), tick=False):
        page = (
            client_for(case.liga)
            .get(reverse("aftercare:aftercare_detail", kwargs={"pk": case.suspicion.pk}))
            .content.decode()
        )
    assert "70 of 180" in page
    assert "110" in page


def test_ending_rehabilitation_meets_the_reminder(cast):
    case = cast()
    assigned(case)
    rehabilitation = start(case)
    with pytest.raises(core.InvalidInput) as early:
        aftercare.end_rehabilitation(
            actor=actor_of(case.liga),
            rehabilitation=rehabilitation,
            ended_on=rehabilitation.started_on - dt.timedelta(days=1),
        )
    assert "ended_on" in early.value.errors
    aftercare.end_rehabilitation(
        actor=actor_of(case.liga), rehabilitation=rehabilitation, ended_on=timezone.localdate()
    )
    assert Deadline.objects.get(kind=Kind.REHABILITATION_END).met_at is not None
    assert AuditEvent.objects.filter(action="rehabilitation.ended").exists()


def test_the_border_guard_never_sees_the_service_details(cast, client_for):
    case = cast()
    assigned(case)
    start(case)
    page = (
        client_for(case.ilze)
        .get(reverse("aftercare:aftercare_detail", kwargs={"pk": case.suspicion.pk}))
        .content.decode()
    )
    assert "Residence permit and return decision" in page
    assert "Social rehabilitation" not in page
    assert "SIVA-2026/55" not in page


# --- residence permit -------------------------------------------------------------------------


def test_the_residence_track_goes_from_requested_to_granted_with_a_validity(cast):
    case = cast()
    with pytest.raises(core.InvalidInput) as skipped:
        permit(
            case.liga,
            case.suspicion,
            "granted",
            valid_until=timezone.localdate() + dt.timedelta(days=183),
        )
    assert "status" in skipped.value.errors
    permit(case.liga, case.suspicion, "requested", reference="")
    with pytest.raises(core.InvalidInput) as undated:
        permit(case.ilze, case.suspicion, "granted")
    assert "valid_until" in undated.value.errors
    assert not aftercare.residence_or_return_decided(case.suspicion)
    permit(
        case.ilze,
        case.suspicion,
        "granted",
        valid_until=timezone.localdate() + dt.timedelta(days=183),
    )
    assert aftercare.residence_or_return_decided(case.suspicion)
    assert aftercare.permit_in_force(case.suspicion) is not None
    assert Notification.objects.filter(
        kind="followup.decision_recorded", recipient=case.liga
    ).exists()


def test_a_residence_permit_follows_identification_and_is_not_for_eu_citizens(cast):
    case = cast(recognised=False)
    with pytest.raises(core.ServiceError, match="follows identification"):
        permit(case.ilze, case.suspicion, "requested")
    eu = cast()
    eu.suspicion.person.nationality = "EE"
    eu.suspicion.person.save()
    with pytest.raises(core.ServiceError, match="European Union"):
        permit(eu.ilze, eu.suspicion, "requested")


def test_the_residence_decision_unblocks_the_hold_rule(cast):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        Referral.objects.filter(suspicion=case.suspicion, track=Referral.Track.POLICE).update(
            status=Referral.Status.DECLINED
        )
        blockers = core.release_blockers_for(case.suspicion)
        assert any("until a residence permit is granted" in reason for reason in blockers)
        permit(case.ilze, case.suspicion, "requested")
        permit(case.ilze, case.suspicion, "granted", valid_until=dt.date(2027, 5, 2))
        assert core.release_blockers_for(case.suspicion) == []
        core.decide_hold_release(
            actor=actor_of(case.ilze),
            suspicion=case.suspicion,
            reason="Uzturēšanās atļauja piešķirta.",
            decision_reference="RS-2026/12",
        )
    assert not Hold.objects.get(pk=case.suspicion.hold_id).is_active


# --- return decision ----------------------------------------------------------------------------


def test_no_return_decision_while_the_reflection_period_runs(cast):
    case = cast()
    ReflectionPeriodFactory(suspicion=case.suspicion, recorded_by=case.ilze)
    with pytest.raises(core.ServiceError, match="reflection period runs until"):
        return_decision(case.ilze, case.suspicion)
    assert not ReturnDecision.objects.exists()


def test_no_removal_decision_while_a_residence_permit_is_in_force(cast):
    case = cast()
    permit(case.ilze, case.suspicion, "requested")
    permit(
        case.ilze,
        case.suspicion,
        "granted",
        valid_until=timezone.localdate() + dt.timedelta(days=183),
    )
    with pytest.raises(core.InvalidInput) as refused:
        return_decision(case.ilze, case.suspicion, kind="removal")
    assert "kind" in refused.value.errors


def test_only_the_border_guard_records_the_return_decision(cast):
    case = cast()
    with pytest.raises(core.NotAllowed):
        return_decision(case.liga, case.suspicion)
    with pytest.raises(core.NotAllowed):
        return_decision(case.maris, case.suspicion)


def test_assisted_voluntary_return_decides_releases_and_closes_the_case(cast):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        period = ReflectionPeriodFactory(
            suspicion=case.suspicion, recorded_by=case.ilze, granted_on=dt.date(2026, 9, 20)
        )
        assert not reflection.is_running(period)
        Referral.objects.filter(suspicion=case.suspicion, track=Referral.Track.POLICE).update(
            status=Referral.Status.DECLINED
        )
        return_decision(case.ilze, case.suspicion, kind="voluntary_return")
        assert aftercare.residence_or_return_decided(case.suspicion)
        core.decide_hold_release(
            actor=actor_of(case.ilze),
            suspicion=case.suspicion,
            reason="Brīvprātīga atgriešanās ar IOM.",
            decision_reference="RS-2026/13",
        )
        closed = core.close_suspicion(
            actor=actor_of(case.ilze), suspicion=case.suspicion, reason="voluntary_return"
        )
    assert closed.closure_reason == "voluntary_return"
    assert Notification.objects.filter(
        kind="followup.decision_recorded", recipient=case.liga
    ).exists()


# --- pages -------------------------------------------------------------------------------------


def test_the_residence_form_names_the_bad_field(cast, client_for):
    case = cast()
    url = reverse("aftercare:residence_record", kwargs={"pk": case.suspicion.pk})
    response = client_for(case.liga).post(
        url, {"status": "granted", "status_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "Next on this track" in response.content.decode()
    response = client_for(case.liga).post(
        url, {"status": "requested", "status_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302


def test_the_provider_asks_siva_from_the_follow_up_page(cast, client_for):
    case = cast()
    page = (
        client_for(case.liga)
        .get(reverse("aftercare:aftercare_detail", kwargs={"pk": case.suspicion.pk}))
        .content.decode()
    )
    assert reverse("aftercare:siva_request", kwargs={"pk": case.suspicion.pk}) in page
    response = client_for(case.liga).post(
        reverse("aftercare:siva_request", kwargs={"pk": case.suspicion.pk}), {"siva": case.siva.pk}
    )
    assert response.status_code == 302
    assert case.suspicion.service_requests.get().to_organisation == case.siva


def test_the_follow_up_page_is_audited_and_hides_the_name(cast, client_for):
    case = cast()
    page = client_for(case.dace).get(
        reverse("aftercare:aftercare_detail", kwargs={"pk": case.suspicion.pk})
    )
    assert page.status_code == 200
    assert "Karimov" not in page.content.decode()
    assert AuditEvent.objects.filter(
        action="aftercare.viewed", object_id=str(case.suspicion.pk)
    ).exists()


def test_a_granted_permit_takes_the_reflection_reminders_off_the_dashboards(cast):
    case = cast()
    period = reflection.grant_reflection_period(
        actor=actor_of(case.ilze),
        suspicion=case.suspicion,
        granted_on=timezone.localdate(),
        decision_reference="VP-2026/5",
    )
    permit(case.ilze, case.suspicion, "requested")
    permit(
        case.ilze,
        case.suspicion,
        "granted",
        valid_until=timezone.localdate() + dt.timedelta(days=183),
    )
    reminders = Deadline.objects.filter(kind__in=[Kind.REFLECTION_DAY_25, Kind.REFLECTION_END])
    assert reminders.count() == 4
    assert not reminders.filter(met_at__isnull=True).exists()
    assert reflection.is_running(period)  # the protection itself runs to its last day
    assert any(
        "reflection period runs until" in r for r in core.release_blockers_for(case.suspicion)
    )
