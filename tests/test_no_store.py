"""No page of personal data may be kept by a browser or proxy: every rendered response is
``Cache-Control: no-store`` (issue 8: the person page and the manifest export lacked it)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from atpazit.accounts.tests.factories import member
from atpazit.removals.tests.factories import PlannedOperationFactory, person_on
from tests.test_authorization_matrix import ROUTES, _url

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_the_person_page_and_the_manifest_export_are_not_stored(client_for):
    officer = member("bg_case_officer")
    operation = PlannedOperationFactory(organisation=officer.memberships.get().organisation)
    person = person_on(operation)
    client = client_for(officer)

    page = client.get(reverse("cases:person_detail", args=[person.pk]))
    export = client.post(reverse("removals:manifest_export", args=[operation.pk]))

    assert (page.status_code, export.status_code) == (200, 200)
    assert no_store(page)
    assert no_store(export)


def test_the_sign_in_page_and_redirects_are_not_stored_either():
    assert no_store(Client().get(reverse("accounts:login")))
    assert no_store(Client().get(reverse("web:dashboard")))


@pytest.mark.parametrize("role", ["bg_case_officer", "monitor", "caseworker", "auditor"])
def test_every_page_a_role_opens_is_not_stored(role, client_for):
    user = member(role)
    client = client_for(user)
    stored = []
    for route in ROUTES:
        response = client.get(_url(route, user))
        if not no_store(response):
            stored.append(f"{route.name}: {response.status_code}")
    assert stored == []
