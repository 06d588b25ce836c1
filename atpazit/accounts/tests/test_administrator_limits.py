"""No administrator can act as another user or widen their own access (issue 8, item 4).

Each of the first four tests is a reproduction that succeeded on the code before this change.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation
from atpazit.accounts.roles import OrganisationType, Role, role_allowed
from atpazit.accounts.services import save_organisation
from atpazit.accounts.tests.factories import (
    TEST_PASSWORD,
    OrganisationFactory,
    member,
    system_wide_auditor,
)
from atpazit.audit.context import AuditContext, current_context
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.audit.services import log_event, record_disclosure
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db


def events_logged_for(organisation: Organisation, action: str) -> None:
    token = current_context.set(
        AuditContext(organisation_id=organisation.pk, organisation_label=organisation.name)
    )
    try:
        log_event(action)
    finally:
        current_context.reset(token)


def test_a_system_admin_cannot_turn_an_organisation_with_members_into_an_ombudsman_office(
    client_for,
):
    admin = member("system_admin")
    own = admin.memberships.get().organisation
    response = client_for(admin).post(
        reverse("accounts:organisation_edit", args=[own.pk]),
        {"name": own.name, "type": "ombudsman", "email": own.email, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "type" in response.context["form"].errors
    own.refresh_from_db()
    assert own.type == OrganisationType.SYSTEM
    # ...so no monitor can be created there, and no case content is reachable.
    create = client_for(admin).post(
        reverse("accounts:user_create"),
        {
            "username": "viltus.monitors",
            "first_name": "A",
            "last_name": "B",
            "email": "viltus@example.invalid",
            "role": "monitor",
            "language": "lv",
        },
    )
    assert "role" in create.context["form"].errors
    person = PersonFactory()
    assert client_for(admin).get(reverse("cases:person_detail", args=[person.pk])).status_code in (
        403,
        404,
    )


def test_an_auditor_created_by_an_organisation_admin_sees_only_that_organisations_trail(
    client_for,
):
    admin = member("org_admin")
    own = admin.memberships.get().organisation
    elsewhere = OrganisationFactory(type="service_provider")
    events_logged_for(own, "person.viewed")
    events_logged_for(elsewhere, "referral.viewed")
    response = client_for(admin).post(
        reverse("accounts:user_create"),
        {
            "username": "org.auditors",
            "first_name": "A",
            "last_name": "B",
            "email": "auditors@example.invalid",
            "role": "auditor",
            "language": "lv",
        },
    )
    assert response.status_code == 302
    auditor = Membership.objects.get(user__username="org.auditors").user
    page = client_for(auditor).get(reverse("audit:event_list"))
    actions = {event.action for event in page.context["page"]}
    assert "person.viewed" in actions
    assert "referral.viewed" not in actions
    assert all(event.organisation_id == own.pk for event in page.context["page"])


def test_an_admin_who_resets_a_users_second_factor_cannot_sign_in_as_them(client_for):
    admin = member("org_admin")
    colleague = member("bg_case_officer", organisation=admin.memberships.get().organisation)
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[colleague.memberships.get().pk]),
        {"reset_2fa": "1"},
    )
    # Whatever password the administrator knew or chose, none works now.
    for guess in (TEST_PASSWORD, "Ziemas-vakars-2026", ""):
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": colleague.username, "password": guess}
        )
        assert response.status_code in (200, 429)
        assert client.get(reverse("web:dashboard")).status_code == 302


def test_an_admin_sets_no_password_when_creating_a_user(client_for):
    admin = member("org_admin")
    client_for(admin).post(
        reverse("accounts:user_create"),
        {
            "username": "jauns",
            "first_name": "A",
            "last_name": "B",
            "email": "jauns@example.invalid",
            "role": "bg_case_officer",
            "language": "lv",
            "password": "Ziemas-vakars-2026",  # the old form's field, now ignored
        },
    )
    client = Client()
    client.post(reverse("accounts:login"), {"username": "jauns", "password": "Ziemas-vakars-2026"})
    assert client.get(reverse("accounts:two_factor")).status_code == 302  # not signed in


def test_an_organisation_admin_cannot_promote_their_own_membership(client_for):
    admin = member("org_admin")
    own = admin.memberships.get()
    client = client_for(admin)
    response = client.post(
        reverse("accounts:membership_edit", args=[own.pk]),
        {"role": "bg_case_officer", "is_active": "on"},
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.role == Role.ORG_ADMIN
    hold = ManualHoldFactory(person=PersonFactory(organisation=own.organisation))
    assert client.get(reverse("cases:hold_release", args=[hold.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()


def test_a_system_admin_cannot_change_their_own_membership_either(client_for):
    admin = member("system_admin")
    own = admin.memberships.get()
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[own.pk]), {"role": "auditor", "is_active": "on"}
    )
    own.refresh_from_db()
    assert own.role == Role.SYSTEM_ADMIN


def test_nobody_resets_their_own_sign_in(client_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = member("org_admin")
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[admin.memberships.get().pk]), {"reset_2fa": "1"}
    )
    admin.refresh_from_db()
    assert admin.has_usable_password()
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_another_admin_may_still_change_a_colleagues_role(client_for):
    admin = member("org_admin")
    other_admin = member("org_admin", organisation=admin.memberships.get().organisation)
    membership = other_admin.memberships.get()
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[membership.pk]),
        {"role": "bg_officer", "is_active": "on"},
    )
    membership.refresh_from_db()
    assert membership.role == Role.BG_OFFICER


class TestOrganisationType:
    def test_an_empty_organisations_type_may_change_and_the_change_is_audited(self, client_for):
        admin = member("system_admin")
        empty = OrganisationFactory(type="border_guard")
        client_for(admin).post(
            reverse("accounts:organisation_edit", args=[empty.pk]),
            {"name": empty.name, "type": "police", "email": empty.email, "is_active": "on"},
        )
        empty.refresh_from_db()
        assert empty.type == "police"
        event = AuditEvent.objects.get(action="organisation.type_changed")
        assert event.details == {"from": "border_guard", "to": "police"}

    def test_a_switched_off_membership_still_counts_as_a_member(self, client_for):
        admin = member("system_admin")
        former = member("bg_case_officer")
        organisation = former.memberships.get().organisation
        Membership.objects.filter(user=former).update(is_active=False)
        client_for(admin).post(
            reverse("accounts:organisation_edit", args=[organisation.pk]),
            {"name": organisation.name, "type": "ombudsman", "email": "", "is_active": "on"},
        )
        organisation.refresh_from_db()
        assert organisation.type == "border_guard"

    def test_only_a_system_administrator_may_save_an_organisation(self):
        admin = member("org_admin")
        actor = Actor(user=admin, membership=admin.memberships.get())
        organisation = actor.organisation
        assert organisation is not None
        with pytest.raises(NotAllowed):
            save_organisation(
                actor=actor,
                organisation=organisation,
                name=organisation.name,
                type=organisation.type,
                email="",
                is_active=True,
            )


class TestAuditorScope:
    def test_a_system_wide_auditor_reads_every_organisations_trail(self, client_for):
        one, two = OrganisationFactory(), OrganisationFactory(type="police")
        events_logged_for(one, "person.viewed")
        events_logged_for(two, "referral.viewed")
        page = client_for(system_wide_auditor()).get(reverse("audit:event_list"))
        actions = {event.action for event in page.context["page"]}
        assert {"person.viewed", "referral.viewed"} <= actions

    def test_only_a_system_administrator_can_staff_the_system_administration(self):
        assert not role_allowed(OrganisationType.SYSTEM, Role.ORG_ADMIN)
        assert role_allowed(OrganisationType.SYSTEM, Role.AUDITOR)

    def test_an_organisations_auditor_reads_only_its_own_disclosures(self, client_for):
        auditor = member("auditor")
        own = auditor.memberships.get().organisation
        provider, police = OrganisationFactory(type="service_provider"), OrganisationFactory()
        for source, target, number in (
            (own, provider, "AT-2026-000001"),
            (police, provider, "AT-2026-000002"),
        ):
            record_disclosure(
                from_organisation=source,
                to_organisation=target,
                subject=source,
                legal_basis=Disclosure.LegalBasis.LAW,
                purpose="p",
                data_categories=["status"],
                case_number=number,
            )
        page = client_for(auditor).get(reverse("audit:disclosure_list"))
        assert [d.case_number for d in page.context["page"]] == ["AT-2026-000001"]
