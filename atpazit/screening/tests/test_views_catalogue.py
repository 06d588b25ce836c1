"""The catalogue-release review page: the diff between two releases, for system administrators."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import member
from atpazit.screening.tests.factories import (
    SMALL_INDICATORS,
    small_catalogue_data,
    write_catalogue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


@pytest.fixture
def admin(client_for):
    """System administrator Marta, in English."""
    return client_for(member("system_admin", first_name="Marta", language="en"))


def release_2026_2(directory):
    indicators = copy.deepcopy(SMALL_INDICATORS)
    indicators = [entry for entry in indicators if entry["code"] != "CH-01"]
    by_code = {entry["code"]: entry for entry in indicators}
    by_code["EX-01"]["text"]["lv"] = "Strādā vairāk nekā 60 stundu nedēļā"
    extra = copy.deepcopy(by_code["EX-03"])
    extra["code"] = "EX-04"
    indicators.append(extra)
    write_catalogue(directory, small_catalogue_data("2026.2", indicators))


def test_it_compares_the_two_latest_releases_by_default(admin, small_catalogue):
    release_2026_2(small_catalogue)

    response = admin.get(reverse("screening:catalogue_diff"))

    page = response.content.decode()
    assert "Release 2026.2 compared with 2026.1" in page
    assert "EX-04" in response.context["added"][0]["code"]
    assert [item["code"] for item in response.context["removed"]] == ["CH-01"]
    changed = {item["code"]: fields for item, fields in response.context["changed"]}
    assert changed == {"EX-01": ("text.lv",)}


def test_the_same_release_twice_is_refused_by_name(admin, small_catalogue):
    release_2026_2(small_catalogue)

    response = admin.get(reverse("screening:catalogue_diff"), {"old": "2026.2", "new": "2026.2"})

    assert "Choose two different releases." in response.content.decode()
    assert response.context["diff"] is None


def test_with_one_release_there_is_nothing_to_compare(admin):
    response = admin.get(reverse("screening:catalogue_diff"))

    assert "Only one release is installed" in response.content.decode()


def test_an_officer_may_not_review_releases(client_for, janis):
    assert client_for(janis).get(reverse("screening:catalogue_diff")).status_code == 403
