"""A provider's system records the commission's assessment, and the police's system the decision
on proceedings and victim status, through the same services as the referral's pages: the same
status table, permission and organisation checks, version (409), validation (422 naming the
field) and audit — and no outcome releases the removal hold (DESIGN I1, ADR 0027)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from atpazit.accounts.tests.factories import member
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Hold
from atpazit.referrals.models import CommissionAssessment, PoliceOutcome, Referral
from atpazit.referrals.tests.factories import (
    AcceptedPoliceReferralFactory,
    AcceptedReferralFactory,
    referral_to,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _commission(**overrides: object) -> dict[str, object]:
    return {
        "assessed_on": TODAY.isoformat(),
        "members_present": "A. Liepa (social worker), B. Kalns (psychologist), C. Ozola (lawyer)",
        "result": "criteria_met",
        "protocol_reference": "K-2026/17",
        "version": 1,
    } | overrides


def _police(**overrides: object) -> dict[str, object]:
    return {
        "proceedings": "opened",
        "victim_status": "recognised",
        "proceedings_reference": "11816000123",
        "decided_on": TODAY.isoformat(),
        "version": 1,
    } | overrides


def _post(client, path: str, body: dict[str, object]):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def provider():
    caseworker = member("caseworker")
    referral = AcceptedReferralFactory(to_organisation=caseworker.memberships.get().organisation)
    return caseworker, referral, api_client(token_for(caseworker))


@pytest.fixture
def police():
    investigator = member("investigator")
    referral = AcceptedPoliceReferralFactory(
        to_organisation=investigator.memberships.get().organisation
    )
    return investigator, referral, api_client(token_for(investigator))


def _active(referral: Referral) -> bool:
    return Hold.objects.active().filter(pk=referral.suspicion.hold_id).exists()


# --- the commission's assessment ------------------------------------------------------------------


def test_the_commission_recognises_through_the_same_service(provider) -> None:
    caseworker, referral, client = provider
    url = f"/api/v1/referrals/{referral.pk}/commission-assessment"
    response = _post(client, url, _commission())
    assert response.status_code == 200
    # accepted -> assessing -> recognised: every row of the history a move the table allows.
    assert (response.json()["status"], response.json()["version"]) == ("recognised", 3)
    assert list(referral.transitions.values_list("to_status", flat=True)) == [
        "assessing",
        "recognised",
    ]
    assessment = CommissionAssessment.objects.get(referral=referral)
    assert (assessment.protocol_reference, assessment.recorded_by_id) == (
        "K-2026/17",
        caseworker.pk,
    )
    event = AuditEvent.objects.get(action="commission.recorded")
    assert event.actor_id == caseworker.pk
    assert event.details == {"referral": referral.pk, "result": "criteria_met"}
    assert _active(referral)  # recognition does not release the hold either


def test_criteria_not_met_ends_the_track_but_never_releases_the_hold(provider) -> None:
    """The UI's commission page cannot release a hold, so neither can the API: release is the
    unit's recorded decision (I1)."""
    _caseworker, referral, client = provider
    url = f"/api/v1/referrals/{referral.pk}/commission-assessment"
    response = _post(client, url, _commission(result="criteria_not_met"))
    assert response.json()["status"] == "not_recognised"
    assert _active(referral)
    assert not AuditEvent.objects.filter(action__startswith="hold.release").exists()


def test_a_stale_version_is_a_409_and_nothing_is_saved(provider) -> None:
    _caseworker, referral, client = provider
    Referral.objects.filter(pk=referral.pk).update(version=2)  # someone answered meanwhile
    url = f"/api/v1/referrals/{referral.pk}/commission-assessment"
    response = _post(client, url, _commission(version=1))
    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert not CommissionAssessment.objects.exists()
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_bad_input_is_a_422_naming_each_field(provider) -> None:
    _caseworker, referral, client = provider
    url = f"/api/v1/referrals/{referral.pk}/commission-assessment"
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = _post(client, url, _commission(protocol_reference=" ", assessed_on=tomorrow))
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    assert set(response.json()["fields"]) == {"protocol_reference", "assessed_on"}
    nul = _post(client, url, _commission(protocol_reference="K\x0017"))
    assert "protocol_reference" in nul.json()["fields"]
    assert not CommissionAssessment.objects.exists()


def test_the_status_table_decides_a_referral_not_accepted_yet() -> None:
    caseworker = member("caseworker")
    referral = referral_to(caseworker.memberships.get().organisation)  # sent, not accepted
    response = _post(
        api_client(token_for(caseworker)),
        f"/api/v1/referrals/{referral.pk}/commission-assessment",
        _commission(),
    )
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_another_providers_referral_is_not_found(provider) -> None:
    _caseworker, _referral, client = provider
    other = AcceptedReferralFactory()
    url = f"/api/v1/referrals/{other.pk}/commission-assessment"
    response = _post(client, url, _commission())
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert not CommissionAssessment.objects.exists()


def test_the_border_guard_cannot_record_an_outcome() -> None:
    officer = member("bg_case_officer")
    referral = AcceptedReferralFactory()
    client = api_client(token_for(officer))
    for path, body in (("commission-assessment", _commission()), ("police-outcome", _police())):
        response = _post(client, f"/api/v1/referrals/{referral.pk}/{path}", body)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")


# --- the police outcome ---------------------------------------------------------------------------


def test_the_police_recognise_a_victim_in_opened_proceedings(police) -> None:
    investigator, referral, client = police
    response = _post(client, f"/api/v1/referrals/{referral.pk}/police-outcome", _police())
    assert response.status_code == 200
    assert response.json()["status"] == "recognised"
    outcome = PoliceOutcome.objects.get(referral=referral)
    assert (outcome.proceedings, outcome.updated_by_id) == ("opened", investigator.pk)
    assert AuditEvent.objects.filter(action="police_outcome.recorded").count() == 1
    assert _active(referral)


def test_refused_proceedings_end_the_police_track_only_and_keep_the_hold(police) -> None:
    _investigator, referral, client = police
    provider_track = AcceptedReferralFactory(suspicion=referral.suspicion)
    body = _police(proceedings="declined", victim_status="not_recognised")
    response = _post(client, f"/api/v1/referrals/{referral.pk}/police-outcome", body)
    assert response.json()["status"] == "not_recognised"
    provider_track.refresh_from_db()
    assert provider_track.status == "accepted"  # the provider's track goes on (D6)
    assert _active(referral)


def test_a_pending_outcome_stays_under_assessment_and_is_recorded_again(police) -> None:
    _investigator, referral, client = police
    url = f"/api/v1/referrals/{referral.pk}/police-outcome"
    first = _post(client, url, _police(victim_status="pending"))
    assert (first.json()["status"], first.json()["version"]) == ("assessing", 2)
    again = _post(client, url, _police(victim_status="recognised", version=1))
    assert (again.status_code, again.json()["code"]) == (409, "stale")
    done = _post(client, url, _police(victim_status="recognised", version=2))
    assert done.json()["status"] == "recognised"


def test_victim_status_needs_opened_proceedings(police) -> None:
    _investigator, referral, client = police
    body = _police(proceedings="pending", victim_status="recognised", decided_on=None)
    response = _post(client, f"/api/v1/referrals/{referral.pk}/police-outcome", body)
    assert response.status_code == 422
    assert "victim_status" in response.json()["fields"]


def test_a_provider_cannot_record_the_police_outcome_of_its_own_track(provider) -> None:
    caseworker, referral, client = provider
    response = _post(client, f"/api/v1/referrals/{referral.pk}/police-outcome", _police())
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
