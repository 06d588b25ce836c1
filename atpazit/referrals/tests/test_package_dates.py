"""The referral package stores ISO dates; the provider reads them in their own date format."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "explained", "not_shown"),
    [("lv", "20.11.2026", "2026-11-20"), ("en", "20/11/2026", "2026-11-20")],
)
def test_the_package_shows_dates_in_the_readers_format(
    client_for, person, janis, liga, marta, language, explained, not_shown
):
    officer = client_for(janis)
    officer.post(
        reverse("referrals:suspicion_create", args=[person.pk]),
        {"reason": "Pase atņemta; parāds darba devējam."},
    )
    suspicion = person.suspicions.get()
    officer.post(
        reverse("referrals:consent", args=[suspicion.pk]),
        {"decision": "given", "scope": "provider", "language": "ru", "explained_on": "2026-11-20"},
    )
    officer.post(reverse("referrals:referral_send", args=[suspicion.pk]), {"provider": marta.pk})
    referral = Referral.objects.get(track="provider")
    liga.language = language
    liga.save(update_fields=["language"])
    html = client_for(liga).get(reverse("referrals:referral_detail", args=[referral.pk]))
    html = html.content.decode()
    assert explained in html
    assert not_shown not in html
