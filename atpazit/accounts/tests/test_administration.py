"""Organisation administrators manage their own users; system administrators manage organisations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.tests.factories import member
from atpazit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _new_user(**overrides: str) -> dict[str, str]:
    return {
        "username": "jauns.inspektors",
        "first_name": "Zane",
        "last_name": "Priede",
        "email": "zp@example.invalid",
        "role": "bg_officer",
        "language": "lv",
        **overrides,
    }


def test_an_organisation_admin_creates_a_user_in_their_own_organisation(client_for):
    admin = member("org_admin")
    organisation = admin.memberships.get().organisation
    response = client_for(admin).post(reverse("accounts:user_create"), _new_user())
    assert response.status_code == 302
    created = User.objects.get(username="jauns.inspektors")
    assert created.memberships.get().organisation == organisation
    assert not created.has_usable_password()  # the user sets it through the invitation
    assert AuditEvent.objects.filter(action="user.created", object_id=str(created.pk)).exists()


def test_an_e_mail_address_that_another_account_uses_is_refused_by_name(client_for):
    admin = member("org_admin")
    response = client_for(admin).post(
        reverse("accounts:user_create"), _new_user(email=admin.email.upper())
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="jauns.inspektors").exists()


def test_a_role_that_does_not_exist_in_the_organisation_type_is_refused(client_for):
    admin = member("org_admin")
    response = client_for(admin).post(
        reverse("accounts:user_create"), _new_user(username="x1", role="investigator")
    )
    assert "role" in response.context["form"].errors


def test_an_admin_cannot_see_another_organisations_member(client_for):
    admin = member("org_admin")
    outsider = member("bg_officer")
    membership = outsider.memberships.get()
    assert (
        client_for(admin).get(reverse("accounts:membership_edit", args=[membership.pk])).status_code
        == 404
    )


def test_a_role_change_is_audited(client_for):
    admin = member("org_admin")
    colleague = member("bg_officer", organisation=admin.memberships.get().organisation)
    membership = colleague.memberships.get()
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[membership.pk]),
        {"role": "bg_case_officer", "is_active": "on"},
    )
    membership.refresh_from_db()
    assert membership.role == "bg_case_officer"
    event = AuditEvent.objects.get(action="user.role_changed")
    assert event.details == {"from": "bg_officer", "to": "bg_case_officer"}


def test_a_system_admin_creates_an_organisation(client_for):
    admin = member("system_admin")
    client_for(admin).post(
        reverse("accounts:organisation_create"),
        {
            "name": "Valsts robežsardzes Ludzas pārvalde",
            "type": "border_guard",
            "email": "ludza@example.invalid",
            "is_active": "on",
        },
    )
    assert Organisation.objects.filter(name="Valsts robežsardzes Ludzas pārvalde").exists()


def test_a_deactivated_membership_grants_nothing(client_for):
    user = member("org_admin")
    Membership.objects.filter(user=user).update(is_active=False)
    assert client_for(user).get(reverse("accounts:user_list")).status_code == 403


def test_an_admin_resets_a_lost_second_factor_of_their_own_user(client_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = member("org_admin")
    colleague = member("bg_officer", organisation=admin.memberships.get().organisation)
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[colleague.memberships.get().pk]),
        {"reset_2fa": "1"},
    )
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(action="user.2fa_reset").exists()


def test_an_admin_cannot_reset_the_second_factor_of_someone_who_also_works_elsewhere(client_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from atpazit.accounts.tests.factories import OrganisationFactory

    admin = member("org_admin")
    shared = member("bg_officer", organisation=admin.memberships.get().organisation)
    Membership.objects.create(
        user=shared, organisation=OrganisationFactory(type="ombudsman"), role="monitor"
    )
    membership = shared.memberships.get(organisation=admin.memberships.get().organisation)
    client_for(admin).post(
        reverse("accounts:membership_edit", args=[membership.pk]), {"reset_2fa": "1"}
    )
    assert TOTPDevice.objects.filter(user=shared).exists()
