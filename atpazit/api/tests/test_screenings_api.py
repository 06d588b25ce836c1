"""Screenings through the API: scoped reads audited like the page, and evaluate, which runs the
same engine as the screening form on the documented request format and stores nothing."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.api.models import ApiToken
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import PersonFactory
from atpazit.screening.catalogue import latest_catalogue
from atpazit.screening.engine import assessment_to_dict, evaluate, request_from_dict
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import OpenSessionFactory

pytestmark = pytest.mark.django_db

REQUEST = {
    "profile": {"age_group": "adult", "form": "labour"},
    "person": {"age": 16, "age_disputed": False},
    "observations": [
        {"indicator": "DR-01", "source": "said_by_person", "stage": "detention_intake"},
    ],
}


def _evaluate(client, body):
    return client.post("/api/v1/screenings/evaluate", body, content_type="application/json")


def test_evaluate_answers_exactly_what_the_engine_answers_and_stores_nothing():
    client = api_client(token_for(member("bg_officer"), scope=ApiToken.Scope.READ))
    last = AuditEvent.objects.order_by("sequence").last().sequence
    response = _evaluate(client, REQUEST)
    assert response.status_code == 200
    request = request_from_dict(REQUEST)
    expected = assessment_to_dict(
        evaluate(latest_catalogue(), request.profile, request.observations, request.person),
        lang="lv",
    )
    assert response.json() == expected
    # A 16-year-old is a child whatever the requested profile says (I4).
    assert response.json()["profile"]["age_group"] == "child"
    assert not ScreeningSession.objects.exists()
    written = AuditEvent.objects.filter(sequence__gt=last).values_list("action", flat=True)
    assert set(written) <= {"api_token.used"}


def test_evaluate_names_the_field_the_engine_refuses():
    client = api_client(token_for(member("bg_officer")))
    body = {**REQUEST, "observations": [{**REQUEST["observations"][0], "indicator": "XX-99"}]}
    response = _evaluate(client, body)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["observations[0].indicator"]
    unknown_release = _evaluate(client, {**REQUEST, "catalogue_version": "1999.1"})
    assert list(unknown_release.json()["fields"]) == ["catalogue_version"]


def test_evaluate_needs_the_screener_s_permission():
    response = _evaluate(api_client(token_for(member("caseworker"))), REQUEST)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_a_unit_reads_its_screenings_and_the_read_is_audited():
    officer = member("bg_officer")
    unit = officer.memberships.get().organisation
    ours = OpenSessionFactory(person=PersonFactory(organisation=unit), screener=officer)
    OpenSessionFactory()  # another unit's
    client = api_client(token_for(officer))
    listed = client.get("/api/v1/screenings").json()["items"]
    assert [s["id"] for s in listed] == [ours.pk]
    detail = client.get(f"/api/v1/screenings/{ours.pk}")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(action="screening.viewed", object_id=str(ours.pk)).count() == 1


def test_another_unit_s_screening_is_a_404():
    client = api_client(token_for(member("bg_officer")))
    assert client.get(f"/api/v1/screenings/{OpenSessionFactory().pk}").status_code == 404
