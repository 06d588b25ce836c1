"""The case officers' pages for a four-eyes release: propose, review, approve, decline, withdraw.
Refusals say why, next to the field they concern; other units never see a proposal (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.referrals.models import HoldReleaseProposal
from atpazit.referrals.tests.factories import (
    ReturnRiskAssessmentFactory,
    WithdrawnReferralFactory,
    suspicion_in,
)

pytestmark = pytest.mark.django_db
Proposal = HoldReleaseProposal.Status


@pytest.fixture
def withdrawn(riga, janis, ilze):
    suspicion = suspicion_in(riga, raised_by=janis)
    WithdrawnReferralFactory(suspicion=suspicion)
    ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
    return suspicion


def url(name, pk):
    return reverse(f"referrals:{name}", args=[pk])


def propose_on_page(client, suspicion, **data):
    values = {"reason": "Novirzījums atsaukts; risks zems.", "decision_reference": "RP-2026/9"}
    return client.post(url("hold_release_propose", suspicion.pk), values | data)


class TestTheReleasePageExplains:
    def test_it_names_the_four_eyes_rule_and_links_the_proposal(self, client_for, ilze, withdrawn):
        page = client_for(ilze).get(url("hold_release", withdrawn.pk)).content.decode()
        assert "The hold cannot be released now" in page
        assert "a second case officer of the unit approves it" in page
        assert url("hold_release_propose", withdrawn.pk) in page

    def test_the_suspicion_page_offers_the_proposal(self, client_for, ilze, withdrawn):
        page = client_for(ilze).get(url("suspicion_detail", withdrawn.pk)).content.decode()
        assert "Propose releasing the hold (four eyes)" in page
        assert "no outcome" in page


class TestProposeApproveDecline:
    def test_one_proposes_and_another_approves(self, client_for, ilze, kristaps, withdrawn):
        response = propose_on_page(client_for(ilze), withdrawn)
        assert response.status_code == 302
        proposal = HoldReleaseProposal.objects.get()
        detail = client_for(ilze).get(url("suspicion_detail", withdrawn.pk)).content.decode()
        assert "It waits for a second case officer of the unit." in detail

        page = client_for(kristaps).get(url("release_proposal", proposal.pk))
        assert "Approve and release the hold" in page.content.decode()
        response = client_for(kristaps).post(
            url("release_proposal_approve", proposal.pk), {"version": proposal.version}
        )

        assert response.status_code == 302
        withdrawn.hold.refresh_from_db()
        assert not withdrawn.hold.is_active

    def test_missing_fields_are_named(self, client_for, ilze, withdrawn):
        response = propose_on_page(client_for(ilze), withdrawn, reason="", decision_reference="")
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {"reason", "decision_reference"}
        assert not HoldReleaseProposal.objects.exists()

    def test_the_proposer_sees_no_approve_button_and_a_forced_post_is_refused(
        self, client_for, ilze, withdrawn
    ):
        propose_on_page(client_for(ilze), withdrawn)
        proposal = HoldReleaseProposal.objects.get()
        page = client_for(ilze).get(url("release_proposal", proposal.pk)).content.decode()
        assert "Approve and release the hold" not in page
        assert "You proposed this release" in page

        response = client_for(ilze).post(
            url("release_proposal_approve", proposal.pk), {"version": proposal.version}
        )
        assert response.status_code == 400
        assert "a second case officer of the unit must approve it" in response.content.decode()
        withdrawn.hold.refresh_from_db()
        assert withdrawn.hold.is_active

    def test_declining_needs_a_note(self, client_for, ilze, kristaps, withdrawn):
        propose_on_page(client_for(ilze), withdrawn)
        proposal = HoldReleaseProposal.objects.get()
        response = client_for(kristaps).post(
            url("release_proposal_decline", proposal.pk), {"version": proposal.version, "note": ""}
        )
        assert response.status_code == 400
        assert "note" in response.context["decline_form"].errors
        response = client_for(kristaps).post(
            url("release_proposal_decline", proposal.pk),
            {"version": proposal.version, "note": "Vispirms jauns novirzījums."},
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Proposal.DECLINED

    def test_a_stale_proposal_says_so_and_offers_no_approval(
        self, client_for, ilze, kristaps, withdrawn
    ):
        from atpazit.screening.tests.factories import DecidedSessionFactory

        propose_on_page(client_for(ilze), withdrawn)
        proposal = HoldReleaseProposal.objects.get()
        DecidedSessionFactory(person=withdrawn.person)
        page = client_for(kristaps).get(url("release_proposal", proposal.pk)).content.decode()
        assert "The case changed after this proposal was made" in page
        assert "Approve and release the hold" not in page

    def test_another_unit_gets_404_and_the_ombudsman_without_the_permission_403(
        self, client_for, ilze, gunars, dace, withdrawn
    ):
        propose_on_page(client_for(ilze), withdrawn)
        proposal = HoldReleaseProposal.objects.get()
        assert client_for(gunars).get(url("release_proposal", proposal.pk)).status_code == 404
        assert client_for(dace).get(url("release_proposal", proposal.pk)).status_code == 403
