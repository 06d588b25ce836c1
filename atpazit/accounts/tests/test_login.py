"""Sign-in: password, then a mandatory second factor; lockout; idle timeout."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.tests.factories import TEST_PASSWORD, UserFactory, member
from atpazit.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_login_page_is_latvian_by_default():
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Pieteikties" in response.content.decode()
    assert response.headers["Content-Language"] == "lv"


def test_anonymous_users_are_sent_to_the_login_page():
    response = Client().get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_correct_password_leads_to_the_second_factor_not_the_dashboard():
    user = member("bg_officer")
    client = Client()
    assert sign_in(client, user.username).url == reverse("accounts:two_factor")
    response = client.get(reverse("web:dashboard"))
    assert response.url == reverse("accounts:two_factor")


def test_a_valid_authenticator_code_opens_the_dashboard():
    user = member("bg_officer")
    client = Client()
    sign_in(client, user.username)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert response.url == reverse("web:dashboard")
    assert client.get(reverse("web:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_verified", actor_id=user.pk).exists()


def test_a_wrong_code_is_refused_with_a_message():
    user = member("bg_officer")
    client = Client()
    sign_in(client, user.username)
    response = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_first_sign_in_enrols_an_authenticator_with_a_qr_code_and_gives_recovery_codes():
    user = UserFactory()
    member_org = member("bg_officer")  # a second user, so the org exists; ours joins below
    from atpazit.accounts.models import Membership

    Membership.objects.create(
        user=user, organisation=member_org.memberships.get().organisation, role="bg_officer"
    )
    client = Client()
    sign_in(client, user.username)
    page = client.get(reverse("accounts:two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert response.url == reverse("accounts:recovery_codes")
    codes = client.get(reverse("accounts:recovery_codes")).context["codes"]
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_a_recovery_code_works_once():
    user = member("bg_officer")
    from atpazit.accounts.services import replace_recovery_codes

    code = replace_recovery_codes(user=user)[0]
    client = Client()
    sign_in(client, user.username)
    assert client.post(reverse("accounts:two_factor"), {"token": code}).url == reverse(
        "web:dashboard"
    )
    assert not StaticToken.objects.filter(token=code).exists()


def test_five_failed_passwords_lock_the_account_with_a_clear_message():
    user = member("bg_officer")
    client = Client()
    for _ in range(4):
        assert sign_in(client, user.username, "wrong-password").status_code == 200
    response = sign_in(client, user.username, "wrong-password")
    assert response.status_code == 429
    assert "bloķēts" in response.content.decode()
    assert sign_in(client, user.username).status_code == 429  # even the right password now
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_an_idle_session_ends_after_thirty_minutes(client_for):
    user = member("bg_officer")
    start = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(user)
        assert client.get(reverse("web:dashboard")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("web:dashboard")).status_code == 200  # activity renews it
    with time_machine.travel(start + dt.timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_passwords_are_stored_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory()
    assert user.password.startswith("argon2")


def test_sign_out_ends_the_session(client_for):
    client = client_for(member("bg_officer"))
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_the_session_key_changes_when_the_second_factor_is_verified():
    user = member("bg_officer")
    client = Client()
    sign_in(client, user.username)
    password_only_key = client.session.session_key
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert client.session.session_key != password_only_key
    fixated = Client()  # someone who planted or learnt the key before the second factor
    fixated.cookies["sessionid"] = password_only_key
    assert fixated.get(reverse("web:dashboard")).status_code == 302


def test_the_session_key_changes_when_a_new_authenticator_is_enrolled():
    user = UserFactory()
    from atpazit.accounts.models import Membership
    from atpazit.accounts.tests.factories import OrganisationFactory

    Membership.objects.create(user=user, organisation=OrganisationFactory(), role="bg_officer")
    client = Client()
    sign_in(client, user.username)
    client.get(reverse("accounts:two_factor"))
    password_only_key = client.session.session_key
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert client.session.session_key != password_only_key
