"""A provider's system reads and answers its referrals with a token, through the same state
machine, checks and audit as the referral page (issue 14: "the API is not a side door")."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.api.models import ApiToken
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Hold
from atpazit.referrals.models import Referral, ReferralTransition
from atpazit.referrals.tests.factories import AcceptedReferralFactory, referral_to, suspicion_in

pytestmark = pytest.mark.django_db


def _provider_with_referral():
    caseworker = member("caseworker")
    referral = referral_to(caseworker.memberships.get().organisation)
    return caseworker, referral, api_client(token_for(caseworker))


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_a_provider_reads_its_referrals_with_the_package():
    _caseworker, referral, client = _provider_with_referral()
    listed = client.get("/api/v1/referrals").json()
    assert [item["id"] for item in listed["items"]] == [referral.pk]
    assert "package" not in listed["items"][0]  # lists carry case numbers, never the package
    detail = client.get(f"/api/v1/referrals/{referral.pk}").json()
    assert detail["package"]["family_name"] == "Karimov"
    assert detail["case_number"] == referral.suspicion.person.case_number
    assert AuditEvent.objects.filter(action="referrals.listed").count() == 1
    assert AuditEvent.objects.get(action="referral.viewed").details == {"package": True}


def test_the_border_guard_sees_the_status_but_never_the_package():
    officer = member("bg_officer")
    unit = officer.memberships.get().organisation
    referral = referral_to(
        member("caseworker").memberships.get().organisation, suspicion=suspicion_in(unit)
    )
    detail = api_client(token_for(officer)).get(f"/api/v1/referrals/{referral.pk}").json()
    assert detail["status"] == "sent"
    assert detail["package"] is None


def test_accepting_through_the_api_runs_the_referral_state_machine():
    caseworker, referral, client = _provider_with_referral()
    response = _post(
        client, f"/api/v1/referrals/{referral.pk}/respond", {"action": "accept", "version": 1}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("accepted", 2)
    transition = ReferralTransition.objects.get(referral=referral)
    assert (transition.to_status, transition.by_id) == ("accepted", caseworker.pk)
    event = AuditEvent.objects.get(action="referral.accepted")
    assert (event.actor_id, event.object_id) == (caseworker.pk, str(referral.pk))


def test_declining_needs_a_reason_named_in_the_error():
    _caseworker, referral, client = _provider_with_referral()
    response = _post(
        client, f"/api/v1/referrals/{referral.pk}/respond", {"action": "decline", "version": 1}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "reason" in response.json()["fields"]
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_body_that_breaks_the_schema_names_the_field():
    _caseworker, referral, client = _provider_with_referral()
    response = _post(
        client, f"/api/v1/referrals/{referral.pk}/respond", {"action": "recognise", "version": 1}
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["action"]
    assert response.json()["detail"].startswith("action:")


def test_a_move_the_status_table_does_not_allow_is_a_409():
    caseworker = member("caseworker")
    referral = AcceptedReferralFactory(to_organisation=caseworker.memberships.get().organisation)
    response = _post(
        api_client(token_for(caseworker)),
        f"/api/v1/referrals/{referral.pk}/respond",
        {"action": "decline", "reason": "No place.", "version": referral.version},
    )
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_a_stale_version_is_a_409_and_nothing_changes():
    _caseworker, referral, client = _provider_with_referral()
    Referral.objects.filter(pk=referral.pk).update(version=2)
    response = _post(
        client, f"/api/v1/referrals/{referral.pk}/respond", {"action": "accept", "version": 1}
    )
    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert not ReferralTransition.objects.exists()


def test_declining_through_the_api_does_not_release_the_removal_hold():
    """I1: a declined track ends nothing; the suspicion's hold stays until a decision."""
    _caseworker, referral, client = _provider_with_referral()
    response = _post(
        client,
        f"/api/v1/referrals/{referral.pk}/respond",
        {"action": "decline", "reason": "No place in the shelter.", "version": 1},
    )
    assert response.status_code == 200
    assert Hold.objects.active().filter(pk=referral.suspicion.hold_id).exists()


def test_the_police_do_not_see_a_provider_s_referral():
    _caseworker, referral, _client = _provider_with_referral()
    police = api_client(token_for(member("investigator")))
    assert police.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    assert police.get("/api/v1/referrals").json()["items"] == []


def test_the_provider_cannot_withdraw_a_referral_it_received():
    """Withdrawing is the sender's move; a caseworker's role does not hold it at all."""
    _caseworker, referral, client = _provider_with_referral()
    response = _post(
        client,
        f"/api/v1/referrals/{referral.pk}/withdraw",
        {"action": "withdraw", "reason": "x", "version": 1},
    )
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_the_sending_unit_withdraws_through_the_api_with_a_reason():
    officer = member("bg_officer")
    unit = officer.memberships.get().organisation
    referral = referral_to(
        member("caseworker").memberships.get().organisation,
        suspicion=suspicion_in(unit, raised_by=officer),
    )
    response = _post(
        api_client(token_for(officer)),
        f"/api/v1/referrals/{referral.pk}/withdraw",
        {"action": "withdraw", "reason": "Sent to the wrong provider.", "version": 1},
    )
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")


def test_a_read_only_token_cannot_answer_a_referral():
    caseworker = member("caseworker")
    referral = referral_to(caseworker.memberships.get().organisation)
    client = api_client(token_for(caseworker, scope=ApiToken.Scope.READ))
    response = _post(
        client, f"/api/v1/referrals/{referral.pk}/respond", {"action": "accept", "version": 1}
    )
    assert (response.status_code, response.json()["code"]) == (403, "read_only_token")
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 200


def test_sync_by_updated_since_and_pages():
    caseworker = member("caseworker")
    organisation = caseworker.memberships.get().organisation
    referrals = [referral_to(organisation) for _ in range(3)]
    client = api_client(token_for(caseworker))
    first = client.get("/api/v1/referrals?limit=2").json()
    assert (len(first["items"]), first["next_offset"]) == (2, 2)
    rest = client.get("/api/v1/referrals?limit=2&offset=2").json()
    assert (len(rest["items"]), rest["next_offset"]) == (1, None)
    assert {i["id"] for i in first["items"] + rest["items"]} == {r.pk for r in referrals}
    later = Referral.objects.get(pk=referrals[0].pk).status_changed_at
    Referral.objects.filter(pk=referrals[0].pk).update(
        status_changed_at=later.replace(year=later.year + 1)
    )
    since = later.replace(year=later.year + 1).isoformat()
    synced = client.get("/api/v1/referrals", {"updated_since": since}).json()
    assert [i["id"] for i in synced["items"]] == [referrals[0].pk]


def test_unknown_paths_and_methods_answer_in_json():
    _caseworker, referral, client = _provider_with_referral()
    assert client.get("/api/v1/nothing-here").json()["code"] == "not_found"
    not_an_id = _post(client, "/api/v1/referrals/null,null/respond", {"action": "accept"})
    assert (not_an_id.status_code, not_an_id.json()["code"]) == (404, "not_found")
    response = client.delete(f"/api/v1/referrals/{referral.pk}")
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


def test_the_schema_and_its_docs_page_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    respond = schema["paths"]["/api/v1/referrals/{referral_id}/respond"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(respond)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # the CSP forbids inline scripts; the settings are JSON data
