"""Need to know (I6) on every page, reads audited (I7), the child marked on every screen (I4),
and each role's dashboard showing what it must act on now."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.permissions import permissions_for
from atpazit.accounts.roles import Role
from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import open_deadline
from atpazit.referrals import selectors
from atpazit.referrals.tests.factories import (
    ChildSuspicionFactory,
    PoliceReferralFactory,
    RecognisedReferralFactory,
    ReferralFactory,
    suspicion_in,
)

pytestmark = pytest.mark.django_db

COMMISSION_NOTES = "Konfidenciālas komisijas piezīmes"


@pytest.fixture
def recognised(riga, janis, marta):
    """Karimov, recognised by MARTA's commission (with confidential notes)."""
    suspicion = suspicion_in(riga, raised_by=janis)
    referral = RecognisedReferralFactory(
        suspicion=suspicion,
        to_organisation=marta,
        package='{"case_number": "AT-X", "family_name": "Karimov", "suspicion_reason": "Pase atņemta"}',
    )
    referral.commission_assessment.notes = COMMISSION_NOTES
    referral.commission_assessment.save()
    return referral


def get(client_for, user, name, pk):
    return client_for(user).get(reverse(name, args=[pk]))


class TestNeedToKnow:
    def test_a_provider_cannot_see_another_provider_s_referral(
        self, client_for, liga, anna, recognised
    ):
        assert get(client_for, liga, "referrals:referral_detail", recognised.pk).status_code == 200
        assert get(client_for, anna, "referrals:referral_detail", recognised.pk).status_code == 404
        assert get(client_for, anna, "referrals:commission", recognised.pk).status_code == 404

    def test_the_receiving_provider_sees_the_package_and_its_commission_notes(
        self, client_for, liga, edgars, recognised
    ):
        for user in (liga, edgars):
            page = get(
                client_for, user, "referrals:referral_detail", recognised.pk
            ).content.decode()
            assert "Karimov" in page
            assert COMMISSION_NOTES in page
            assert "MARTA-2026/14" in page
        event = AuditEvent.objects.filter(action="referral.viewed").last()
        assert event.details == {"package": True}

    def test_the_border_guard_sees_the_status_never_the_package_or_commission_notes(
        self, client_for, janis, ilze, recognised
    ):
        for user in (janis, ilze):
            page = get(
                client_for, user, "referrals:referral_detail", recognised.pk
            ).content.decode()
            assert "recognised as a victim" in page
            assert COMMISSION_NOTES not in page
            assert "MARTA-2026/14" not in page
            assert "Pase atņemta" not in page
            suspicion_page = get(
                client_for, user, "referrals:suspicion_detail", recognised.suspicion_id
            ).content.decode()
            assert COMMISSION_NOTES not in suspicion_page
            assert "identified as a victim" in suspicion_page

    def test_the_ombudsman_sees_status_only(self, client_for, dace, recognised):
        page = get(client_for, dace, "referrals:referral_detail", recognised.pk).content.decode()
        assert "recognised as a victim" in page
        assert COMMISSION_NOTES not in page
        assert "Karimov" not in page
        assert (
            get(client_for, dace, "referrals:suspicion_detail", recognised.suspicion_id).status_code
            == 200
        )

    def test_another_unit_sees_nothing(self, client_for, gunars, recognised):
        assert (
            get(client_for, gunars, "referrals:referral_detail", recognised.pk).status_code == 404
        )
        assert (
            get(
                client_for, gunars, "referrals:suspicion_detail", recognised.suspicion_id
            ).status_code
            == 404
        )

    def test_the_police_see_their_track_only(self, client_for, maris, police, recognised):
        police_track = PoliceReferralFactory(suspicion=recognised.suspicion, to_organisation=police)
        assert (
            get(client_for, maris, "referrals:referral_detail", police_track.pk).status_code == 200
        )
        assert get(client_for, maris, "referrals:referral_detail", recognised.pk).status_code == 404
        assert (
            get(
                client_for, maris, "referrals:suspicion_detail", recognised.suspicion_id
            ).status_code
            == 403
        )

    @pytest.mark.parametrize(
        "role", [Role.NATIONAL_COORDINATOR, Role.AUDITOR, Role.SIVA_OFFICER, Role.TRAINER]
    )
    def test_the_coordinator_the_auditor_and_others_see_no_case(self, client_for, role, recognised):
        user = member(role)
        actor = actor_of(user)
        assert not selectors.suspicions_visible_to(actor).exists()
        assert not selectors.referrals_visible_to(actor).exists()
        assert not selectors.child_cases_visible_to(actor).exists()
        assert not selectors.anonymous_notifications_visible_to(actor).exists()
        for name, pk in (
            ("referrals:suspicion_detail", recognised.suspicion_id),
            ("referrals:referral_detail", recognised.pk),
        ):
            assert get(client_for, user, name, pk).status_code in (403, 404)

    def test_reads_are_audited(self, client_for, ilze, recognised):
        get(client_for, ilze, "referrals:suspicion_detail", recognised.suspicion_id)
        client_for(ilze).get(reverse("referrals:referral_list"))
        assert AuditEvent.objects.filter(
            action="suspicion.viewed", object_id=str(recognised.suspicion_id)
        ).exists()
        assert AuditEvent.objects.filter(action="referrals.listed").exists()


class TestTheChildPathOnEveryScreen:
    @pytest.fixture
    def child_case(self, riga, orphans_court, marta):
        from atpazit.cases.tests.factories import ChildPersonFactory

        suspicion = ChildSuspicionFactory(
            person=ChildPersonFactory(organisation=riga),
            orphans_court=orphans_court,
            raised_by_organisation=riga,
        )
        return ReferralFactory(suspicion=suspicion, to_organisation=marta, legal_basis="law")

    def test_the_child_banner_shows_on_the_suspicion_referral_and_orphan_s_court_pages(
        self, client_for, janis, liga, gunta, child_case
    ):
        pages = [
            get(client_for, janis, "referrals:suspicion_detail", child_case.suspicion_id),
            get(client_for, liga, "referrals:referral_detail", child_case.pk),
            get(client_for, gunta, "referrals:child_detail", child_case.suspicion_id),
            get(client_for, janis, "referrals:consent", child_case.suspicion_id),
        ]
        for page in pages:
            assert page.status_code == 200
            assert 'class="banner-child"' in page.content.decode()

    def test_the_orphan_s_court_sees_its_child_cases_only(
        self, client_for, gunta, child_case, recognised
    ):
        assert (
            get(client_for, gunta, "referrals:child_detail", recognised.suspicion_id).status_code
            == 404
        )
        other_court = member(Role.CHILD_PROTECTION_OFFICER)
        assert (
            get(
                client_for, other_court, "referrals:child_detail", child_case.suspicion_id
            ).status_code
            == 404
        )
        page = get(
            client_for, gunta, "referrals:child_detail", child_case.suspicion_id
        ).content.decode()
        assert child_case.suspicion.person.family_name in page
        assert child_case.suspicion.reason not in page  # never the grounds
        assert AuditEvent.objects.filter(action="child_case.viewed").exists()


class TestForms:
    def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
        self, client_for, janis, person
    ):
        response = client_for(janis).post(
            reverse("referrals:suspicion_create", args=[person.pk]), {"reason": ""}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        from atpazit.cases.models import Hold

        assert not Hold.objects.exists()

    def test_the_person_page_offers_to_raise_and_then_links_the_suspicion(
        self, client_for, janis, person
    ):
        client = client_for(janis)
        assert (
            "Raise a suspicion of trafficking"
            in client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
        )
        client.post(
            reverse("referrals:suspicion_create", args=[person.pk]), {"reason": "Pase atņemta."}
        )
        page = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
        assert "Open the suspicion" in page


class TestDashboards:
    def test_the_border_guard_sees_holds_to_confirm_and_referrals_to_send(
        self, client_for, janis, ilze, riga, child
    ):
        from atpazit.referrals import services

        services.raise_suspicion(actor=actor_of(janis), person=child, reason="Bērns bez pavadības.")
        page = client_for(ilze).get(reverse("web:dashboard")).content.decode()
        assert "Suspicion holds to confirm today" in page
        assert child.case_number in page
        page = client_for(janis).get(reverse("web:dashboard")).content.decode()
        assert "Referrals to send" in page

    def test_the_provider_sees_referrals_to_answer_soonest_deadline_first(
        self, client_for, liga, marta, riga
    ):
        late = ReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        soon = ReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        now = timezone.now()
        open_deadline(
            kind=Kind.PROVIDER_RESPONSE, subject=late, responsible_organisation=marta, starts_at=now
        )
        open_deadline(
            kind=Kind.PROVIDER_RESPONSE,
            subject=soon,
            responsible_organisation=marta,
            starts_at=now - dt.timedelta(days=5),
        )
        panel = next(
            p
            for p in client_for(liga).get(reverse("web:dashboard")).context["panels"]
            if p.template == "referrals/panels/receiver.html"
        )
        assert [r.pk for r in panel.context["to_answer"]] == [soon.pk, late.pk]

    def test_the_orphan_s_court_sees_its_child_notices(
        self, client_for, gunta, orphans_court, riga
    ):
        from atpazit.cases.tests.factories import ChildPersonFactory

        case = ChildSuspicionFactory(
            person=ChildPersonFactory(organisation=riga), orphans_court=orphans_court
        )
        page = client_for(gunta).get(reverse("web:dashboard")).content.decode()
        assert case.person.case_number in page

    def test_the_ombudsman_sees_suspicions_with_overdue_deadlines(
        self, client_for, dace, riga, marta
    ):
        referral = ReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        open_deadline(
            kind=Kind.PROVIDER_RESPONSE,
            subject=referral,
            responsible_organisation=marta,
            case_number=referral.suspicion.person.case_number,
            starts_at=timezone.now() - dt.timedelta(days=10),
        )
        page = client_for(dace).get(reverse("web:dashboard")).content.decode()
        assert "Suspicions of trafficking: overdue" in page
        assert referral.suspicion.person.case_number in page


# Every core referral page for every role: allowed exactly when the permission table says so
# (the project-wide matrix in tests/ walks them too; this one keeps the app's own check local).
ROUTES_WITHOUT_PARAMETERS = [
    "referrals:referral_list",
    "referrals:suspicion_list",
    "referrals:anonymous_list",
    "referrals:child_list",
]


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_role_reaches_the_lists_its_permissions_allow(role, client_for):
    from django.urls import resolve

    user = member(role)
    client = client_for(user)
    for name in ROUTES_WITHOUT_PARAMETERS:
        url = reverse(name)
        needed = resolve(url).func.required_permission
        status = client.get(url).status_code
        assert (status == 200) == (needed in permissions_for(role)), (name, status)
