"""API tokens: made by a user for their organisation, shown once, stored as a hash, scoped,
expiring, revocable, audited; a token acts as its user and stops with the user (ADR 0026)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.services import change_membership
from atpazit.accounts.tests.factories import actor_of, member
from atpazit.api import services
from atpazit.api.models import ApiToken
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidInput, NotAllowed
from atpazit.referrals.tests.factories import referral_to

pytestmark = pytest.mark.django_db

LIST = "/api/v1/referrals"


def _today() -> dt.date:
    return timezone.localdate()


def test_the_secret_is_shown_once_and_only_its_sha256_is_stored():
    user = member("caseworker")
    made = services.create_token(
        actor=actor_of(user),
        name="Shelter CRM",
        scope="read",
        expires_on=_today() + dt.timedelta(days=10),
    )
    stored = ApiToken.objects.get()
    assert made.secret.startswith(f"atp_{stored.prefix}_")
    assert made.secret not in str(list(ApiToken.objects.values_list()))
    assert stored.secret_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    event = AuditEvent.objects.get(action="api_token.created")
    assert made.secret not in str(event.details)
    assert event.details == {
        "scope": "read",
        "expires_on": (_today() + dt.timedelta(days=10)).isoformat(),
    }


def test_the_expiry_is_required_in_the_future_and_at_most_a_year_ahead():
    actor = actor_of(member("caseworker"))
    for expires_on, message in [
        (None, "expires_on"),
        (_today(), "expires_on"),
        (_today() + dt.timedelta(days=366), "expires_on"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            services.create_token(actor=actor, name="CRM", scope="read", expires_on=expires_on)
        assert message in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        services.create_token(actor=actor, name=" ", scope="admin", expires_on=_today())
    assert set(refused.value.errors) == {"name", "scope", "expires_on"}
    assert not ApiToken.objects.exists()


def test_a_role_without_the_permission_cannot_make_a_token():
    with pytest.raises(NotAllowed):
        services.create_token(
            actor=actor_of(member("auditor")),
            name="CRM",
            scope="read",
            expires_on=_today() + dt.timedelta(days=1),
        )


def test_a_token_acts_as_its_user_and_its_reads_are_audited_as_theirs():
    user = member("caseworker")
    referral = referral_to(user.memberships.get().organisation)
    response = api_client(token_for(user)).get(f"{LIST}/{referral.pk}")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="referral.viewed")
    assert (event.actor_id, event.object_id) == (user.pk, str(referral.pk))
    assert event.organisation_id == user.memberships.get().organisation_id


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "unauthenticated"),
        ("Bearer", "malformed"),
        ("Token abc", "unauthenticated"),
        ("Bearer not-a-token", "malformed"),
        ("Bearer atp_0123456789abcdef_wrong", "unknown"),
    ],
)
def test_a_missing_or_invalid_token_is_a_401_in_json(client, header, code):
    headers = {"Authorization": header} if header else {}
    response = client.get(LIST, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_right_prefix_with_a_wrong_secret_answers_like_an_unknown_token():
    secret = token_for(member("caseworker"))
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    response = api_client(forged).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "unknown")


def test_an_expired_token_stops_working():
    secret = token_for(member("caseworker"), days=1)
    assert api_client(secret).get(LIST).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "expired")
    assert AuditEvent.objects.filter(action="api_token.refused", outcome="denied").exists()


def test_a_revoked_token_stops_working_at_once():
    user = member("caseworker")
    secret = token_for(user)
    token = ApiToken.objects.get()
    services.revoke_token(actor=actor_of(user), token=token)
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "revoked")
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()


def test_nobody_revokes_another_users_token():
    owner = member("caseworker")
    token_for(owner)
    colleague = member("caseworker", owner.memberships.get().organisation)
    with pytest.raises(NotAllowed):
        services.revoke_token(actor=actor_of(colleague), token=ApiToken.objects.get())
    assert ApiToken.objects.get().revoked_at is None


def test_a_deactivated_user_s_tokens_stop_working():
    user = member("caseworker")
    secret = token_for(user)
    user.is_active = False
    user.save()
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "revoked")


def test_switching_the_user_back_on_does_not_bring_the_token_back():
    user = member("caseworker")
    secret = token_for(user)
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "revoked")
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.details == {"reason": "user_inactive"}


def test_an_ended_and_restored_membership_does_not_bring_the_token_back():
    user = member("caseworker")
    secret = token_for(user)
    membership = user.memberships.get()
    admin = actor_of(member("org_admin", membership.organisation))
    change_membership(actor=admin, membership=membership, role="caseworker", is_active=False)
    change_membership(actor=admin, membership=membership, role="caseworker", is_active=True)
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "revoked")


def test_a_new_role_ends_the_tokens_made_under_the_old_one():
    user = member("caseworker")
    secret = token_for(user)
    membership = user.memberships.get()
    admin = actor_of(member("org_admin", membership.organisation))
    change_membership(actor=admin, membership=membership, role="commission_member", is_active=True)
    change_membership(actor=admin, membership=membership, role="caseworker", is_active=True)
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "revoked")
    assert ApiToken.objects.get().revoked_at is not None


def test_an_organisation_switched_off_and_on_again_keeps_its_tokens_revoked():
    user = member("caseworker")
    secret = token_for(user)
    organisation = user.memberships.get().organisation
    organisation.is_active = False
    organisation.save()
    organisation.is_active = True
    organisation.save()
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "revoked")


def test_saving_an_unchanged_membership_leaves_its_token_alone():
    user = member("caseworker")
    secret = token_for(user)
    user.memberships.get().save()
    user.save()
    assert api_client(secret).get(LIST).status_code == 200


def test_an_ended_membership_stops_the_token():
    user = member("caseworker")
    secret = token_for(user)
    user.memberships.update(is_active=False)
    response = api_client(secret).get(LIST)
    assert (response.status_code, response.json()["code"]) == (401, "no_membership")


def test_a_token_of_another_organisation_does_not_see_this_one_s_referrals():
    ours = member("caseworker")
    theirs = member("caseworker")
    referral = referral_to(ours.memberships.get().organisation)
    client = api_client(token_for(theirs))
    assert client.get(f"{LIST}/{referral.pk}").status_code == 404
    assert client.get(LIST).json()["items"] == []
    moved = client.post(
        f"{LIST}/{referral.pk}/respond",
        {"action": "accept", "version": 1},
        content_type="application/json",
    )
    assert (moved.status_code, moved.json()["code"]) == (404, "not_found")
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_use_is_recorded_at_most_every_quarter_of_an_hour():
    user = member("caseworker")
    client = api_client(token_for(user))
    client.get(LIST)
    client.get(LIST)
    assert AuditEvent.objects.filter(action="api_token.used").count() == 1
    assert ApiToken.objects.get().last_used_at is not None
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        client.get(LIST)
    assert AuditEvent.objects.filter(action="api_token.used").count() == 2


# --- the pages ---------------------------------------------------------------------------------


def test_a_user_creates_a_token_and_sees_it_once(client_for):
    user = member("caseworker")
    client = client_for(user)
    expires = (_today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("api:token_create"),
        {"name": "Shelter CRM", "scope": "read_write", "expires_on": expires},
    )
    assert response.status_code == 200
    secret = response.context["new"].secret
    assert secret.encode() in response.content
    assert secret.encode() not in client.get(reverse("api:token_list")).content
    assert api_client(secret).get(LIST).status_code == 200


def test_the_form_names_the_field_at_fault_and_saves_nothing(client_for):
    client = client_for(member("caseworker"))
    too_late = (_today() + dt.timedelta(days=400)).isoformat()
    response = client.post(
        reverse("api:token_create"), {"name": "CRM", "scope": "read", "expires_on": too_late}
    )
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_session_that_has_not_passed_two_factor_cannot_create_a_token(client):
    user = member("caseworker")
    client.force_login(user)
    expires = (_today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("api:token_create"), {"name": "CRM", "scope": "read", "expires_on": expires}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor")
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token_on_its_page(client_for):
    user = member("caseworker")
    secret = token_for(user)
    token = ApiToken.objects.get()
    response = client_for(user).post(reverse("api:token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    assert api_client(secret).get(LIST).status_code == 401


def test_another_user_s_token_page_is_a_404(client_for):
    token_for(member("caseworker"))
    other = member("caseworker")
    token = ApiToken.objects.get()
    assert (
        client_for(other).post(reverse("api:token_revoke", kwargs={"pk": token.pk})).status_code
        == 404
    )
    assert ApiToken.objects.get().revoked_at is None
