"""The orphan's court records the child's guardian or legal representative (issue 11 §6).

Only the court named on the child's suspicion records, replaces or ends an appointment; a new
one supersedes the old, which stays in the history; the Border Guard side sees the current one on
the suspicion page and is told, with a logged disclosure; every read and write is audited with
ids and codes only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.roles import OrganisationType, Role
from atpazit.accounts.tests.factories import OrganisationFactory, actor_of, member
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import GuardianAppointment
from atpazit.referrals.tests.factories import child_suspicion_in


@pytest.fixture
def child_case(riga, orphans_court, janis):
    return child_suspicion_in(riga, raised_by=janis, orphans_court=orphans_court)


def appoint(user, suspicion, *, replaces=None, **changes):
    data = {
        "kind": GuardianAppointment.Kind.GUARDIAN,
        "name": "Inese Kalna",
        "contact": "+371 20000000",
        "decision_date": timezone.localdate() - dt.timedelta(days=1),
        "decision_number": "BT-2026/114",
        "replaces": replaces,
    } | changes
    return services.record_guardian_appointment(actor=actor_of(user), suspicion=suspicion, **data)


class TestRecordingAnAppointment:
    def test_the_orphan_s_court_records_a_guardian_and_the_border_guard_is_told(
        self, gunta, child_case, riga, ilze
    ):
        appointment = appoint(gunta, child_case)

        assert appointment.is_current
        assert services.current_appointment(child_case) == appointment
        disclosure = Disclosure.objects.get(
            subject=f"referrals.guardianappointment:{appointment.pk}"
        )
        assert (disclosure.to_organisation, disclosure.legal_basis) == (riga, "law")
        assert disclosure.data_categories == ["guardian"]
        notice = Notification.objects.get(recipient=ilze, kind="child.guardian_changed")
        assert notice.case_number == child_case.person.case_number

    def test_names_and_the_decision_number_are_encrypted_and_never_in_the_audit_trail(
        self, gunta, child_case
    ):
        from django.db import connection

        appointment = appoint(gunta, child_case)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, contact, decision_number FROM referrals_guardianappointment "
                "WHERE id = %s",
                [appointment.pk],
            )
            stored = " ".join(cursor.fetchone())
        for secret in ("Inese", "+371 20000000", "BT-2026/114"):
            assert secret not in stored
        event = AuditEvent.objects.get(action="guardian.appointed")
        assert event.details == {"suspicion": child_case.pk, "kind": "guardian", "supersedes": None}

    def test_a_new_appointment_supersedes_the_current_one_which_stays_as_history(
        self, gunta, child_case
    ):
        first = appoint(gunta, child_case, kind=GuardianAppointment.Kind.TEMPORARY_GUARDIAN)
        second = appoint(gunta, child_case, replaces=first.pk, name="Pēteris Ozols")

        first.refresh_from_db()
        assert (first.is_current, first.end_reason) == (False, "superseded")
        assert services.current_appointment(child_case) == second
        assert GuardianAppointment.objects.filter(suspicion=child_case).count() == 2
        event = AuditEvent.objects.filter(action="guardian.appointed").latest("sequence")
        assert event.details["supersedes"] == first.pk

    def test_two_officers_replacing_the_same_appointment_do_not_overwrite_each_other(
        self, gunta, child_case, orphans_court
    ):
        colleague = member(Role.CHILD_PROTECTION_OFFICER, orphans_court)
        first = appoint(gunta, child_case)
        appoint(colleague, child_case, replaces=first.pk, name="Pēteris Ozols")

        with pytest.raises(services.ConcurrentEdit):
            appoint(gunta, child_case, replaces=first.pk, name="Anna Bērziņa")
        with pytest.raises(services.ConcurrentEdit):  # a form loaded when there was none
            appoint(gunta, child_case, replaces=None, name="Anna Bērziņa")
        assert GuardianAppointment.objects.filter(suspicion=child_case).count() == 2

    def test_ending_an_appointment_leaves_none_in_force_and_keeps_it(self, gunta, child_case):
        appointment = appoint(gunta, child_case)
        services.end_guardian_appointment(
            actor=actor_of(gunta), suspicion=child_case, appointment_pk=appointment.pk
        )

        appointment.refresh_from_db()
        assert (appointment.is_current, appointment.end_reason) == (False, "ended")
        assert services.current_appointment(child_case) is None
        with pytest.raises(services.ConcurrentEdit):  # ending it again: the page was stale
            services.end_guardian_appointment(
                actor=actor_of(gunta), suspicion=child_case, appointment_pk=appointment.pk
            )


class TestBadInput:
    def test_each_missing_field_is_named_and_nothing_is_saved(self, gunta, child_case):
        with pytest.raises(services.InvalidInput) as refused:
            appoint(
                gunta, child_case, kind="uncle", name=" ", decision_date=None, decision_number=""
            )

        assert set(refused.value.errors) == {"kind", "name", "decision_date", "decision_number"}
        assert not GuardianAppointment.objects.exists()

    def test_a_decision_date_in_the_future_is_refused(self, gunta, child_case):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(services.InvalidInput) as refused:
            appoint(gunta, child_case, decision_date=tomorrow)

        assert refused.value.errors == {"decision_date": ["The date cannot be in the future."]}

    def test_the_form_shows_the_errors_at_their_fields(self, client_for, gunta, child_case):
        url = reverse("referrals:guardian_record", args=[child_case.pk])
        response = client_for(gunta).post(url, {"kind": "guardian", "name": "Inese Kalna"})

        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"decision_date", "decision_number"}
        assert not GuardianAppointment.objects.exists()

    def test_a_form_loaded_before_a_colleague_s_change_is_refused_then_offered_again_knowingly(
        self, client_for, gunta, child_case
    ):
        first = appoint(gunta, child_case)
        appoint(gunta, child_case, replaces=first.pk, name="Pēteris Ozols")
        url = reverse("referrals:guardian_record", args=[child_case.pk])
        data = {
            "kind": "guardian",
            "name": "Anna Bērziņa",
            "decision_date": timezone.localdate().isoformat(),
            "decision_number": "BT-9",
            "replaces": first.pk,  # the page was opened before the colleague's change
        }

        refused = client_for(gunta).post(url, data)

        assert refused.status_code == 200
        assert "changed by someone else" in refused.content.decode()
        current = services.current_appointment(child_case)
        assert refused.context["form"].data["replaces"] == str(current.pk)
        assert client_for(gunta).post(url, data | {"replaces": current.pk}).status_code == 302

    def test_a_stale_form_sent_back_with_a_missing_field_still_cannot_replace_the_colleague_s(
        self, client_for, gunta, child_case
    ):
        first = appoint(gunta, child_case)
        colleague_s = appoint(gunta, child_case, replaces=first.pk, name="Pēteris Ozols")
        url = reverse("referrals:guardian_record", args=[child_case.pk])
        stale = {
            "kind": "guardian",
            "name": "Anna Bērziņa",
            "decision_date": timezone.localdate().isoformat(),
            "replaces": first.pk,  # loaded before the colleague's change; the number forgotten
        }

        incomplete = client_for(gunta).post(url, stale)
        resent = client_for(gunta).post(
            url, dict(incomplete.context["form"].data.items()) | {"decision_number": "BT-9"}
        )

        assert resent.status_code == 200
        assert "changed by someone else" in resent.content.decode()
        assert services.current_appointment(child_case) == colleague_s


class TestWhoMayRecord:
    def test_only_the_court_named_on_the_suspicion_records(self, gunta, child_case):
        other_court = OrganisationFactory(type=OrganisationType.ORPHANS_COURT)
        stranger = member(Role.CHILD_PROTECTION_OFFICER, other_court)

        with pytest.raises(services.NotAllowed):
            appoint(stranger, child_case)

    @pytest.mark.parametrize(
        "persona", ["janis", "ilze", "dace", "liga", "maris", "sanita", "olga"]
    )
    def test_no_other_role_records(self, request, persona, child_case):
        with pytest.raises(services.NotAllowed):
            appoint(request.getfixturevalue(persona), child_case)

    def test_when_the_court_is_changed_the_old_one_loses_the_case(
        self, client_for, gunta, child_case
    ):
        child_case.orphans_court = OrganisationFactory(type=OrganisationType.ORPHANS_COURT)
        child_case.save()

        with pytest.raises(services.NotAllowed):
            appoint(gunta, child_case)
        url = reverse("referrals:guardian_record", args=[child_case.pk])
        assert client_for(gunta).get(url).status_code == 404

    def test_nothing_is_recorded_on_a_closed_case(self, gunta, child_case):
        child_case.closed_at = timezone.now()
        child_case.save()

        with pytest.raises(services.ServiceError):
            appoint(gunta, child_case)


class TestWhereItShows:
    def test_the_child_page_and_the_border_guard_s_suspicion_page_show_the_current_guardian(
        self, client_for, gunta, janis, child_case
    ):
        first = appoint(gunta, child_case, name="Inese Kalna")
        appoint(gunta, child_case, replaces=first.pk, name="Pēteris Ozols")

        for user, name in (
            (gunta, "referrals:child_detail"),
            (janis, "referrals:suspicion_detail"),
        ):
            page = client_for(user).get(reverse(name, args=[child_case.pk])).content.decode()
            current = page.split('data-guardian="current"')[1].split("</dl>")[0]
            assert "Pēteris Ozols" in current
            assert "Inese Kalna" in page.split('data-guardian="ended"')[1]
        reads = AuditEvent.objects.filter(action="guardian.viewed")
        assert {event.details["page"] for event in reads} == {"child_detail", "suspicion_detail"}
        assert all("Ozols" not in str(event.details) for event in reads)

    def test_the_ombudsman_learns_that_a_guardian_is_appointed_but_not_who_or_how_to_reach(
        self, client_for, gunta, dace, child_case
    ):
        first = appoint(gunta, child_case, name="Inese Kalna", decision_number="BT-2026/1")
        appoint(gunta, child_case, replaces=first.pk, name="Pēteris Ozols", contact="+371 2999")

        page = client_for(dace).get(reverse("referrals:suspicion_detail", args=[child_case.pk]))

        html = page.content.decode()
        assert 'data-guardian="current"' in html
        for undisclosed in ("Pēteris Ozols", "+371 2999", "Inese Kalna", "BT-2026/1"):
            assert undisclosed not in html

    def test_the_border_guard_is_told_when_no_guardian_is_recorded(
        self, client_for, janis, child_case
    ):
        page = client_for(janis).get(reverse("referrals:suspicion_detail", args=[child_case.pk]))

        assert 'data-guardian="none"' in page.content.decode()
        assert not AuditEvent.objects.filter(action="guardian.viewed").exists()

    def test_the_court_records_ends_and_replaces_through_its_pages(
        self, client_for, gunta, child_case
    ):
        client = client_for(gunta)
        url = reverse("referrals:guardian_record", args=[child_case.pk])
        data = {
            "kind": "legal_representative",
            "name": "Inese Kalna",
            "decision_date": timezone.localdate().isoformat(),
            "decision_number": "BT-7",
            "replaces": "",
        }
        assert client.post(url, data).status_code == 302
        appointment = GuardianAppointment.objects.get()
        end = reverse("referrals:guardian_end", args=[child_case.pk])
        assert client.post(end, {"appointment": appointment.pk}).status_code == 302
        assert services.current_appointment(child_case) is None

    def test_other_organisations_cannot_open_the_court_s_pages(
        self, client_for, janis, dace, child_case
    ):
        for user in (janis, dace):
            url = reverse("referrals:guardian_record", args=[child_case.pk])
            assert client_for(user).get(url).status_code in (403, 404)
