"""The read of a suspicion, referral or proposal is audited by the selector that fetches it
(issue 10 item 4): on the form pages, also when a refused submit shows the case again; never
for an object outside the actor's scope (a 404, and nothing read).

The authorisation matrix (tests/test_authorization_matrix.py) checks every page's GET for every
role; these are the requests it does not make.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.audit.models import AuditEvent
from atpazit.referrals.tests.factories import (
    PendingReleaseProposalFactory,
    referral_to,
    suspicion_in,
)

pytestmark = pytest.mark.django_db


def reads(action: str) -> list[tuple[str, dict]]:
    return list(
        AuditEvent.objects.filter(action=action)
        .order_by("sequence")
        .values_list("object_id", "details")
    )


def test_a_refused_consent_form_shows_the_case_again_and_the_read_is_audited(
    client_for, janis, riga
):
    suspicion = suspicion_in(riga)
    url = reverse("referrals:consent", args=[suspicion.pk])

    response = client_for(janis).post(url, {"decision": "maybe"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert reads("suspicion.viewed") == [(str(suspicion.pk), {"page": "consent"})]


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("referrals:consent", "janis"),
        ("referrals:suspicion_detail", "janis"),
        ("referrals:close", "ilze"),
    ],
)
def test_a_suspicion_of_another_unit_is_a_404_and_nothing_is_read(
    client_for, request, daugavpils, name, persona
):
    elsewhere = suspicion_in(daugavpils)

    response = client_for(request.getfixturevalue(persona)).get(reverse(name, args=[elsewhere.pk]))

    assert response.status_code == 404
    assert reads("suspicion.viewed") == []


def test_a_referral_to_another_provider_is_a_404_and_nothing_is_read(client_for, liga, drosa_maja):
    other = referral_to(drosa_maja)

    for name in ("referrals:referral_detail", "referrals:referral_respond"):
        assert client_for(liga).get(reverse(name, args=[other.pk])).status_code == 404

    assert reads("referral.viewed") == []


def test_a_refused_decline_shows_the_proposal_again_and_the_read_is_audited(client_for, ilze, riga):
    proposal = PendingReleaseProposalFactory(suspicion=suspicion_in(riga))
    url = reverse("referrals:release_proposal_decline", args=[proposal.pk])

    response = client_for(ilze).post(url, {"note": "", "version": proposal.version})

    assert response.status_code == 400
    assert reads("hold_release.proposal_viewed") == [
        (str(proposal.pk), {"suspicion": proposal.suspicion_id})
    ]
