"""A walk through the core flow across organisations, page by page (the happy path)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.referrals.models import Referral, Suspicion

pytestmark = pytest.mark.django_db


def test_the_flow_works_page_by_page(
    client_for, person, janis, ilze, liga, edgars, maris, marta, police, dace
):
    officer = client_for(janis)
    page = officer.get(reverse("cases:person_detail", args=[person.pk]))
    assert "Raise a suspicion of trafficking" in page.content.decode()
    response = officer.post(
        reverse("referrals:suspicion_create", args=[person.pk]),
        {"reason": "Pase atņemta; parāds darba devējam."},
    )
    assert response.status_code == 302, response.content.decode()
    suspicion = Suspicion.objects.get()
    page = officer.get(reverse("referrals:suspicion_detail", args=[suspicion.pk]))
    assert page.status_code == 200
    response = officer.post(
        reverse("referrals:consent", args=[suspicion.pk]),
        {"decision": "given", "scope": "both", "language": "ru", "explained_on": "2026-11-20"},
    )
    assert response.status_code == 302, response.content.decode()
    response = officer.post(
        reverse("referrals:referral_send", args=[suspicion.pk]),
        {"provider": marta.pk, "police": police.pk},
    )
    assert response.status_code == 302, response.content.decode()
    provider_ref = Referral.objects.get(track="provider")
    caseworker = client_for(liga)
    page = caseworker.get(reverse("referrals:referral_detail", args=[provider_ref.pk]))
    assert "Karimov" in page.content.decode()
    assert caseworker.get(reverse("referrals:referral_list")).status_code == 200
    caseworker.post(
        reverse("referrals:referral_respond", args=[provider_ref.pk]),
        {"action": "accept", "version": provider_ref.version},
    )
    provider_ref.refresh_from_db()
    assert provider_ref.status == "accepted"
    commission = client_for(edgars)
    response = commission.post(
        reverse("referrals:commission", args=[provider_ref.pk]),
        {
            "version": provider_ref.version,
            "assessed_on": "2026-11-21",
            "members_present": "Zane, Aivars",
            "result": "criteria_met",
            "protocol_reference": "M-1",
            "notes": "slepeni",
        },
    )
    assert response.status_code == 302, response.content.decode()
    provider_ref.refresh_from_db()
    assert provider_ref.status == "recognised"
    for user in (janis, ilze, dace):
        page = (
            client_for(user)
            .get(reverse("referrals:suspicion_detail", args=[suspicion.pk]))
            .content.decode()
        )
        assert "identified as a victim" in page
        assert "slepeni" not in page
        assert client_for(user).get(reverse("web:dashboard")).status_code == 200
    for user in (liga, maris):
        assert client_for(user).get(reverse("web:dashboard")).status_code == 200
