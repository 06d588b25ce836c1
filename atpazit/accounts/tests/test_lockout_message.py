"""The locked-account page says how long the account stays locked as configured
(ATPAZIT_LOCKOUT_MINUTES, django-axes' AXES_COOLOFF_TIME in hours), with the plural form of
each language: never a duration written into the template."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from atpazit.accounts.tests.factories import member

pytestmark = pytest.mark.django_db


def locked_out_page(language: str = "lv") -> str:
    """The page a user sees on the sign-in that locks their account."""
    user = member("bg_officer")
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    data = {"username": user.username, "password": "wrong-password"}
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:login"), data)
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 429
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("minutes", "language", "expected"),
    [
        (30, "en", "The account is locked for 30 minutes."),
        (1, "en", "The account is locked for 1 minute."),
        (45, "lv", "Konts ir bloķēts uz 45 minūtēm."),
        (21, "lv", "Konts ir bloķēts uz 21 minūti."),
        (1, "lv", "Konts ir bloķēts uz 1 minūti."),
        (11, "lv", "Konts ir bloķēts uz 11 minūtēm."),
        (21, "ru", "Учётная запись заблокирована на 21 минуту."),
        (3, "ru", "Учётная запись заблокирована на 3 минуты."),
        (15, "ru", "Учётная запись заблокирована на 15 минут."),
    ],
)
def test_the_page_says_the_configured_duration(settings, minutes, language, expected):
    settings.AXES_COOLOFF_TIME = minutes / 60  # hours, as settings.py sets it
    assert expected in locked_out_page(language)


def test_a_duration_given_as_a_timedelta_is_rounded_up_to_whole_minutes(settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=89, seconds=30)
    assert "Konts ir bloķēts uz 90 minūtēm." in locked_out_page()


def test_without_a_cool_off_the_page_says_it_stays_locked(settings):
    settings.AXES_COOLOFF_TIME = None
    page = locked_out_page("en")
    assert "The account stays locked until a system administrator unlocks it." in page
    assert "locked for" not in page


def test_the_password_change_that_locks_the_account_says_the_same(settings, client_for):
    settings.AXES_COOLOFF_TIME = 2
    client = client_for(member("bg_officer"))
    new = "Vasaras-rits-pie-juras-7"
    wrong = {"current_password": "a-guess", "new_password1": new, "new_password2": new}
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:password_change"), wrong)
    response = client.post(reverse("accounts:password_change"), wrong)
    assert response.status_code == 429
    assert "Konts ir bloķēts uz 120 minūtēm." in " ".join(response.content.decode().split())
