"""Working for several organisations, and the interface language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from atpazit.accounts.models import Membership
from atpazit.accounts.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def test_a_user_switches_the_active_organisation_and_the_role_follows(client_for):
    user = member("bg_officer")
    ombudsman = OrganisationFactory(type="ombudsman", name="Tiesībsarga birojs (tests)")
    monitor = Membership.objects.create(user=user, organisation=ombudsman, role="monitor")
    client = client_for(user)
    client.post(reverse("accounts:switch_organisation"), {"membership": monitor.pk})
    page = client.get(reverse("web:dashboard"))
    assert page.context["actor"].organisation == ombudsman
    assert page.context["actor"].role == "monitor"


def test_a_user_cannot_switch_into_an_organisation_they_do_not_belong_to(client_for):
    user = member("bg_officer")
    stranger = Membership.objects.create(
        user=member("monitor"), organisation=OrganisationFactory(type="ombudsman"), role="monitor"
    )
    client = client_for(user)
    client.post(reverse("accounts:switch_organisation"), {"membership": stranger.pk})
    assert (
        client.get(reverse("web:dashboard")).context["actor"].organisation != stranger.organisation
    )


def test_language_choice_is_remembered_for_the_user(client_for):
    user = member("bg_officer")
    client = client_for(user)
    client.post(reverse("web:set_language"), {"language": "en", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.language == "en"
    assert "Dashboard" in client.get(reverse("web:dashboard")).content.decode()
    fresh = client_for(user)  # a new session on another device
    assert fresh.get(reverse("web:dashboard")).headers["Content-Language"] == "en"


def test_russian_interface(client_for):
    client = client_for(member("bg_officer", language="ru"))
    assert "Панель" in client.get(reverse("web:dashboard")).content.decode()


def test_an_anonymous_visitor_can_switch_the_login_page_language():
    client = Client()
    client.post(reverse("web:set_language"), {"language": "ru", "next": "/accounts/login/"})
    assert client.get(reverse("accounts:login")).headers["Content-Language"] == "ru"


def test_an_unknown_language_changes_nothing(client_for):
    user = member("bg_officer")
    client_for(user).post(reverse("web:set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "lv"


def test_the_language_switch_never_redirects_off_site():
    response = Client().post(
        reverse("web:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_a_password_only_session_changes_its_own_language_but_not_the_saved_one():
    from atpazit.accounts.tests.factories import TEST_PASSWORD

    user = member("bg_officer")
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    client.post(
        reverse("web:set_language"), {"language": "ru", "next": "/accounts/login/two-factor/"}
    )
    user.refresh_from_db()
    assert user.language == "lv"
    assert client.get(reverse("accounts:two_factor")).headers["Content-Language"] == "ru"
