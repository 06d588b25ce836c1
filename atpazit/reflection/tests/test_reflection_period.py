"""The reflection period: granted after recognition (or, under the CoE reading, counted from the
suspicion), 30 days, reminders on day 25 and on the last day that reach the dashboards through
`atpazit tick`, no hold released while it runs, and an early end that is never silent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.aftercare.tests.factories import GrantedResidencePermitFactory
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.cases import services as cases_services
from atpazit.cases.models import Hold
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.notifications.models import Notification
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral
from atpazit.reflection import services as reflection
from atpazit.reflection.models import ReflectionPeriod
from tests.clock import riga_time

pytestmark = pytest.mark.django_db


def grant(
    user, suspicion, granted_on: dt.date | None = None, reference: str = "VP-2026/404"
) -> ReflectionPeriod:
    return reflection.grant_reflection_period(
        actor=actor_of(user),
        suspicion=suspicion,
        granted_on=granted_on or timezone.localdate(),
        decision_reference=reference,
    )


def end_tracks_but_recognition(case) -> None:
    """The police declined; the provider's recognition stands (no open track)."""
    Referral.objects.filter(suspicion=case.suspicion, track=Referral.Track.POLICE).update(
        status=Referral.Status.DECLINED
    )


# --- granting ---------------------------------------------------------------------------------


def test_under_latvian_law_it_is_refused_before_recognition(cast):
    case = cast(recognised=False)
    with pytest.raises(core.ServiceError, match="after recognition as a victim"):
        grant(case.ilze, case.suspicion)
    assert not ReflectionPeriod.objects.exists()


def test_it_counts_thirty_days_from_the_grant_decision_after_recognition(cast):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast(recognised_on=dt.date(2026, 10, 30))
        period = grant(case.ilze, case.suspicion, granted_on=dt.date(2026, 11, 2))
    assert (period.start_event, period.starts_on, period.ends_on) == (
        "recognition",
        dt.date(2026, 11, 2),
        dt.date(2026, 12, 2),
    )
    event = AuditEvent.objects.get(action="reflection.granted")
    assert event.details["ends_on"] == "2026-12-02"


def test_the_decision_cannot_predate_the_recognition_or_lie_in_the_future(cast):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast(recognised_on=dt.date(2026, 11, 1))
        with pytest.raises(core.InvalidInput) as early:
            grant(case.ilze, case.suspicion, granted_on=dt.date(2026, 10, 31))
        with pytest.raises(core.InvalidInput) as future:
            grant(case.ilze, case.suspicion, granted_on=dt.date(2026, 11, 3))
        with pytest.raises(core.InvalidInput) as unnamed:
            grant(case.ilze, case.suspicion, reference="  ")
    assert "granted_on" in early.value.errors
    assert "granted_on" in future.value.errors
    assert "decision_reference" in unnamed.value.errors


def test_the_coe_reading_starts_it_at_the_suspicion_even_before_recognition(cast, settings):
    settings.ATPAZIT_REFLECTION_START_EVENT = "reasonable_grounds"
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast(recognised=False)
    with time_machine.travel(riga_time(2026, 11, 5, 10), tick=False):
        period = grant(case.ilze, case.suspicion)
    assert (period.start_event, period.granted_on) == ("reasonable_grounds", dt.date(2026, 11, 5))
    assert (period.starts_on, period.ends_on) == (dt.date(2026, 11, 2), dt.date(2026, 12, 2))


def test_the_length_is_configurable_and_the_reminders_follow_it(cast, settings):
    settings.ATPAZIT_REFLECTION_DAYS = 45
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        period = grant(case.ilze, case.suspicion)
    assert period.ends_on == dt.date(2026, 12, 17)
    dues = {d.kind: d.due_at for d in Deadline.objects.filter(responsible_organisation=case.riga)}
    assert dues[Kind.REFLECTION_DAY_25] == riga_time(2026, 12, 12)
    assert dues[Kind.REFLECTION_END] == riga_time(2026, 12, 17)


def test_the_reminders_start_with_the_period_not_at_a_start_computed_back_from_a_rule(
    cast, settings
):
    """The length is set once (ATPAZIT_REFLECTION_DAYS): the reminders' clocks start when the
    period starts, and their moments come from its last day, whatever the deadline rules say."""
    settings.ATPAZIT_REFLECTION_DAYS = 45
    settings.ATPAZIT_DEADLINES = {Kind.REFLECTION_END: {"calendar_days": 30}}
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        period = grant(case.ilze, case.suspicion)
    reminders = Deadline.objects.filter(responsible_organisation=case.riga)
    assert period.starts_on == dt.date(2026, 11, 2)
    assert {d.starts_at for d in reminders} == {riga_time(2026, 11, 2)}
    assert {d.kind: d.due_at for d in reminders}[Kind.REFLECTION_END] == riga_time(2026, 12, 17)


def test_it_is_refused_for_a_citizen_of_the_european_union(cast):
    case = cast()
    case.suspicion.person.nationality = "LT"
    case.suspicion.person.save()
    with pytest.raises(core.ServiceError, match="does not apply to citizens of the European Union"):
        grant(case.ilze, case.suspicion)


def test_it_is_granted_once(cast):
    case = cast()
    grant(case.ilze, case.suspicion)
    with pytest.raises(core.ServiceError, match="already recorded"):
        grant(case.maris, case.suspicion)


def test_the_investigator_on_the_police_track_may_record_it_but_not_another_police_unit(
    cast,
    make_member,
):
    case = cast()
    stranger = make_member("investigator")
    with pytest.raises(core.NotAllowed):
        grant(stranger, case.suspicion)
    with pytest.raises(core.NotAllowed):
        grant(case.liga, case.suspicion)  # a caseworker has no such permission
    assert grant(case.maris, case.suspicion).recorded_by == case.maris


def test_granting_tells_the_unit_and_the_provider_and_logs_the_disclosure(cast):
    case = cast()
    grant(case.maris, case.suspicion)
    assert Notification.objects.filter(kind="reflection.granted", recipient=case.ilze).exists()
    assert Notification.objects.filter(kind="reflection.granted", recipient=case.liga).exists()
    disclosed_to = set(
        Disclosure.objects.filter(from_organisation=case.police).values_list(
            "to_organisation", flat=True
        )
    )
    assert disclosed_to == {case.riga.pk, case.provider.pk}


# --- reminders through `atpazit tick` -----------------------------------------------------------


def test_the_day_25_and_end_reminders_reach_the_unit_and_provider_dashboards(cast, client_for):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        grant(case.ilze, case.suspicion)
    assert (
        Deadline.objects.filter(kind__in=[Kind.REFLECTION_DAY_25, Kind.REFLECTION_END]).count() == 4
    )
    with time_machine.travel(riga_time(2026, 11, 26, 23, 30), tick=False):
        call_command("tick")
        assert not Notification.objects.filter(kind="deadline.reminder").exists()
    with time_machine.travel(riga_time(2026, 11, 27, 0, 5), tick=False):
        call_command("tick")
        reminded = set(
            Notification.objects.filter(kind="deadline.reminder").values_list(
                "recipient", flat=True
            )
        )
        assert {case.ilze.pk, case.janis.pk, case.liga.pk} <= reminded
        page = client_for(case.ilze).get(reverse("web:dashboard")).content.decode()
        assert "A deadline is approaching." in page
        assert "reflection period: day 25" in page
        assert "5 days left" in page
        provider_page = client_for(case.liga).get(reverse("web:dashboard")).content.decode()
        assert "A deadline is approaching." in provider_page
        assert case.suspicion.person.case_number in provider_page
    with time_machine.travel(riga_time(2026, 12, 2, 0, 5), tick=False):
        call_command("tick")
        assert (
            Deadline.objects.filter(kind=Kind.REFLECTION_END, fired_at__isnull=False).count() == 2
        )
        page = client_for(case.ilze).get(reverse("web:dashboard")).content.decode()
        assert "reflection period ends" in page
        assert "last day" in page
    assert not Notification.objects.filter(kind="escalation.raised").exists()


# --- no hold released while the period runs (I1) ------------------------------------------------


def test_the_hold_cannot_be_released_while_the_period_runs_and_can_after_the_residence_decision(
    cast,
):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        end_tracks_but_recognition(case)
        grant(case.ilze, case.suspicion)
        GrantedResidencePermitFactory(suspicion=case.suspicion, recorded_by=case.ilze)
        with pytest.raises(core.ServiceError, match="reflection period runs until 02.12.2026"):
            core.decide_hold_release(
                actor=actor_of(case.ilze),
                suspicion=case.suspicion,
                reason="Atļauja piešķirta.",
                decision_reference="RS-9",
            )
        with pytest.raises(cases_services.ServiceError, match="reflection period runs"):
            cases_services.release_hold(
                actor=actor_of(case.ilze),
                hold=case.suspicion.hold,
                reason="x",
                decision_reference="RS-9",
            )
    with time_machine.travel(riga_time(2026, 12, 3, 10), tick=False):
        core.decide_hold_release(
            actor=actor_of(case.ilze),
            suspicion=case.suspicion,
            reason="Atļauja piešķirta.",
            decision_reference="RS-9",
        )
    assert not Hold.objects.get(pk=case.suspicion.hold_id).is_active


def test_the_release_page_lists_the_running_period_among_the_blockers(cast):
    case = cast()
    end_tracks_but_recognition(case)
    grant(case.ilze, case.suspicion)
    blockers = core.release_blockers_for(case.suspicion)
    assert any("reflection period runs until" in reason for reason in blockers)


def test_a_reflection_hold_protects_a_person_whose_holds_were_all_released(cast):
    with time_machine.travel(riga_time(2026, 11, 2, 10), tick=False):
        case = cast()
        Hold.objects.filter(pk=case.suspicion.hold_id).update(released_at=timezone.now())
        period = grant(case.ilze, case.suspicion)
        hold = Hold.objects.get(person=case.suspicion.person, released_at__isnull=True)
        assert (hold.cause, hold.cause_reference) == (
            "reflection_period",
            f"reflection:{period.pk}",
        )
        with pytest.raises(cases_services.ServiceError, match="reflection period runs"):
            cases_services.release_hold(
                actor=actor_of(case.ilze), hold=hold, reason="x", decision_reference="RS-1"
            )
    with time_machine.travel(riga_time(2026, 12, 3, 10), tick=False):
        with pytest.raises(
            cases_services.ServiceError, match="until a residence permit is granted"
        ):
            cases_services.release_hold(
                actor=actor_of(case.ilze), hold=hold, reason="x", decision_reference="RS-1"
            )
        GrantedResidencePermitFactory(suspicion=case.suspicion, recorded_by=case.ilze)
        cases_services.release_hold(
            actor=actor_of(case.ilze), hold=hold, reason="Atļauja.", decision_reference="RS-1"
        )


# --- ending early -------------------------------------------------------------------------------


def end_early(user, period, reason="renewed_contact", note="", ended_on=None):
    return reflection.end_reflection_period_early(
        actor=actor_of(user),
        period=period,
        ended_on=ended_on or timezone.localdate(),
        reason=reason,
        note=note,
    )


def test_ending_early_stops_the_reminders_and_is_never_silent(cast):
    case = cast()
    period = grant(case.ilze, case.suspicion)
    end_early(case.ilze, period)
    period.refresh_from_db()
    assert (period.ended_early_reason, period.ended_early_by) == ("renewed_contact", case.ilze)
    assert not reflection.is_running(period)
    assert (
        Deadline.objects.filter(
            subject=f"reflection.reflectionperiod:{period.pk}", cancelled_at__isnull=True
        ).count()
        == 0
    )
    assert Notification.objects.filter(kind="reflection.ended_early", recipient=case.dace).exists()
    assert Notification.objects.filter(kind="reflection.ended_early", recipient=case.liga).exists()
    assert (
        AuditEvent.objects.get(action="reflection.ended_early").details["reason"]
        == "renewed_contact"
    )


def test_another_reason_needs_a_note_and_a_finished_period_cannot_end_again(cast):
    case = cast()
    period = grant(case.ilze, case.suspicion)
    with pytest.raises(core.InvalidInput) as missing:
        end_early(case.ilze, period, reason="other")
    assert "note" in missing.value.errors
    end_early(case.ilze, period, reason="other", note="Persona pati lūdza.")
    with pytest.raises(core.ServiceError, match="not running"):
        end_early(case.ilze, period)


# --- pages ---------------------------------------------------------------------------------------


def test_the_status_page_shows_days_left_and_is_audited(cast, client_for):
    case = cast()
    grant(case.ilze, case.suspicion)
    page = client_for(case.dace).get(
        reverse("reflection:reflection_detail", kwargs={"pk": case.suspicion.pk})
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "30 days left" in text
    assert "Karimov" not in text
    assert AuditEvent.objects.filter(
        action="reflection.viewed", object_id=str(case.suspicion.pk)
    ).exists()


def test_the_grant_form_records_the_period(cast, client_for):
    case = cast()
    response = client_for(case.ilze).post(
        reverse("reflection:reflection_grant", kwargs={"pk": case.suspicion.pk}),
        {"granted_on": timezone.localdate().isoformat(), "decision_reference": "VP-2026/7"},
    )
    assert response.status_code == 302
    assert ReflectionPeriod.objects.get(suspicion=case.suspicion).decision_reference == "VP-2026/7"


def test_the_grant_form_names_the_bad_field(cast, client_for):
    case = cast()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(case.ilze).post(
        reverse("reflection:reflection_grant", kwargs={"pk": case.suspicion.pk}),
        {"granted_on": tomorrow.isoformat(), "decision_reference": "VP-2026/7"},
    )
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not ReflectionPeriod.objects.exists()


def test_a_case_outside_scope_is_not_found_and_siva_without_the_permission_refused(
    cast, client_for, gunars, anna
):
    case = cast()
    url = reverse("reflection:reflection_detail", kwargs={"pk": case.suspicion.pk})
    assert client_for(gunars).get(url).status_code == 404  # another unit
    assert client_for(anna).get(url).status_code == 404  # another provider
    assert client_for(case.sanita).get(url).status_code == 403


def test_the_child_path_is_marked(cast, client_for):
    case = cast(child=True)
    page = client_for(case.ilze).get(
        reverse("reflection:reflection_detail", kwargs={"pk": case.suspicion.pk})
    )
    assert "Child-protection path" in page.content.decode()
