"""Persons and holds through the API: the person page's scope, its read event, and the removal
guard's answer (I1: the hold follows the human)."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _officer():
    officer = member("bg_case_officer")
    return officer, officer.memberships.get().organisation, api_client(token_for(officer))


def test_a_unit_lists_its_own_persons_by_case_number_only():
    _officer_user, unit, client = _officer()
    ours = PersonFactory(organisation=unit)
    PersonFactory()  # another unit's
    items = client.get("/api/v1/persons").json()["items"]
    assert [item["case_number"] for item in items] == [ours.case_number]
    assert "family_name" not in items[0]
    assert AuditEvent.objects.get(action="persons.listed").details["shown"] == 1


def test_a_person_read_is_audited_like_the_person_page():
    officer, unit, client = _officer()
    person = PersonFactory(organisation=unit)
    detail = client.get(f"/api/v1/persons/{person.pk}").json()
    assert detail["family_name"] == person.family_name
    event = AuditEvent.objects.get(action="person.viewed")
    assert (event.actor_id, event.object_id) == (officer.pk, str(person.pk))


def test_another_unit_s_person_and_hold_are_404_and_leave_no_read():
    _officer_user, _unit, client = _officer()
    stranger = PersonFactory()
    hold = ManualHoldFactory(person=stranger)
    assert client.get(f"/api/v1/persons/{stranger.pk}").status_code == 404
    assert client.get(f"/api/v1/holds/{hold.pk}").status_code == 404
    assert not AuditEvent.objects.filter(action__in=["person.viewed", "hold.viewed"]).exists()


def test_a_held_person_shows_as_blocked_from_removal():
    _officer_user, unit, client = _officer()
    person = PersonFactory(organisation=unit)
    hold = ManualHoldFactory(person=person)
    detail = client.get(f"/api/v1/persons/{person.pk}").json()
    assert (detail["has_active_hold"], detail["removal_blocked"]) == (True, True)
    assert detail["removal_obstacles"][0] == "hold"
    assert [h["id"] for h in detail["holds"]] == [hold.pk]
    held = client.get("/api/v1/holds?state=active").json()["items"]
    assert [h["id"] for h in held] == [hold.pk]
    one = client.get(f"/api/v1/holds/{hold.pk}").json()
    assert one["case_number"] == person.case_number
    assert AuditEvent.objects.filter(action="hold.viewed", object_id=str(hold.pk)).count() == 1


def test_the_hold_of_a_linked_record_blocks_the_other_record_too():
    """I1: the hold follows the human, through the API as on the page."""
    _officer_user, unit, client = _officer()
    first = PersonFactory(organisation=unit)
    second = PersonFactory(organisation=unit)
    type(first).objects.filter(pk__in=[first.pk, second.pk]).update(identity_root=first)
    ManualHoldFactory(person=first)
    detail = client.get(f"/api/v1/persons/{second.pk}").json()
    assert detail["has_active_hold"] is False
    assert detail["removal_blocked"] is True
    assert "linked_record_hold" in detail["removal_obstacles"]
    # It told of another record: audited as the person page audits showing it (I7).
    event = AuditEvent.objects.get(action="identity.matches_shown")
    assert (event.object_id, event.details["linked"]) == (str(second.pk), [first.pk])


def test_a_held_likely_duplicate_in_another_unit_is_told_and_audited():
    officer, unit, client = _officer()
    theirs = PersonFactory(given_names="Anna", family_name="Bērziņa")
    ManualHoldFactory(person=theirs)
    mine = PersonFactory(organisation=unit, given_names="ANNA", family_name="BERZINA")
    detail = client.get(f"/api/v1/persons/{mine.pk}").json()
    assert "held_possible_duplicate" in detail["removal_obstacles"]
    event = AuditEvent.objects.get(action="identity.matches_shown")
    assert event.actor_id == officer.pk
    assert (event.details["duplicates"], event.details["in_scope"]) == ([theirs.pk], [])


def test_a_person_without_other_records_leaves_no_matches_event():
    _officer_user, unit, client = _officer()
    person = PersonFactory(organisation=unit)
    ManualHoldFactory(person=person)
    client.get(f"/api/v1/persons/{person.pk}")
    assert not AuditEvent.objects.filter(action="identity.matches_shown").exists()


def test_there_is_no_way_to_place_or_release_a_hold_through_the_api():
    _officer_user, unit, client = _officer()
    hold = ManualHoldFactory(person=PersonFactory(organisation=unit))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/holds/{hold.pk}")
        assert response.status_code == 405
    hold.refresh_from_db()
    assert hold.released_at is None


def test_a_provider_s_caseworker_may_not_list_persons():
    client = api_client(token_for(member("caseworker")))
    response = client.get("/api/v1/persons")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
