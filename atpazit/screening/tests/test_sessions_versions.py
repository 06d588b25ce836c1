"""An old screening displays exactly as it was computed after a new catalogue release (§5)."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.screening import catalogue as catalogue_module
from atpazit.screening import selectors, services
from atpazit.screening.catalogue import latest_catalogue
from atpazit.screening.services import ObservationInput, ProfileInput, SessionSetup
from atpazit.screening.tests.factories import (
    SMALL_INDICATORS,
    small_catalogue_data,
    write_catalogue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SETUP = SessionSetup(
    stage="pre_return_interview",
    interview_language="ru",
    prompt_language="ru",
    officer_language="en",
)
LABOUR = ProfileInput(exploitation_form="labour")
OLD_TEXT = "Excessive working hours"
NEW_TEXT = "Works more than 60 hours a week"


def release_2026_2(directory):
    """2026.2 makes DR-02 strong, rewords EX-01 and adds EX-04."""
    indicators = copy.deepcopy(SMALL_INDICATORS)
    by_code = {entry["code"]: entry for entry in indicators}
    for form in by_code["DR-02"]["strength"]["adult"]:
        by_code["DR-02"]["strength"]["adult"][form] = "S"
    by_code["EX-01"]["text"]["en"] = NEW_TEXT
    extra = copy.deepcopy(by_code["EX-03"])
    extra["code"] = "EX-04"
    indicators.append(extra)
    write_catalogue(directory, small_catalogue_data("2026.2", indicators))


def screened_for_pay_and_hours(actor, person):
    """A screening of ``person`` that notes DR-02 (pay) and EX-01 (hours), not yet decided."""
    session = services.start_session(actor=actor, person=person, setup=SETUP)
    return services.set_observations(
        actor=actor,
        session=session,
        observations=[ObservationInput("DR-02"), ObservationInput("EX-01")],
        profile=LABOUR,
        version=session.version,
    )


@pytest.fixture
def decided_on_2026_1(janis, detainee, small_catalogue):
    actor = actor_of(janis)
    session = screened_for_pay_and_hours(actor, detainee)
    return services.record_decision(
        actor=actor,
        session=session,
        decision="labour_inspectorate",
        reason="Darba strīds.",
        version=session.version,
    )


def test_the_stored_assessment_is_kept_byte_for_byte(decided_on_2026_1, small_catalogue):
    stored = copy.deepcopy(decided_on_2026_1.assessment)
    release_2026_2(small_catalogue)
    assert latest_catalogue().version == "2026.2"

    decided_on_2026_1.refresh_from_db()

    assert decided_on_2026_1.assessment == stored
    assert decided_on_2026_1.recommendation == "labour_inspectorate_and_rescreen"
    assert selectors.stored_assessment(decided_on_2026_1).recommendation.value == (
        "labour_inspectorate_and_rescreen"
    )


def test_the_page_shows_the_old_advice_and_the_old_texts(
    decided_on_2026_1, small_catalogue, client_for, ilze
):
    release_2026_2(small_catalogue)

    response = client_for(ilze).get(
        reverse("screening:session_detail", args=[decided_on_2026_1.pk])
    )

    page = response.content.decode()
    assert "inform the State Labour Inspectorate and re-screen at the next stage" in page
    assert "refer for identification" not in page
    assert OLD_TEXT in page
    assert NEW_TEXT not in page
    assert "computed with catalogue 2026.1" in page


def test_a_new_screening_with_the_same_answers_uses_the_new_release(
    decided_on_2026_1, small_catalogue, janis, detainee
):
    release_2026_2(small_catalogue)

    session = screened_for_pay_and_hours(actor_of(janis), detainee)

    assert session.catalogue_version == "2026.2"
    assert session.recommendation == "refer_for_identification"


def test_an_open_session_keeps_validating_against_its_own_release(janis, detainee, small_catalogue):
    actor = actor_of(janis)
    session = services.start_session(actor=actor, person=detainee, setup=SETUP)
    release_2026_2(small_catalogue)

    with pytest.raises(services.InvalidInput) as caught:
        services.set_observations(
            actor=actor,
            session=session,
            observations=[ObservationInput("EX-04")],
            profile=LABOUR,
            version=session.version,
        )

    assert "not in catalogue 2026.1" in caught.value.errors["EX-04"][0]


def test_a_release_no_longer_installed_still_displays_from_the_stored_json(
    decided_on_2026_1, small_catalogue, client_for, ilze
):
    release_2026_2(small_catalogue)
    (small_catalogue / "2026.1.yaml").unlink()
    catalogue_module.get_catalogue.cache_clear()

    response = client_for(ilze).get(
        reverse("screening:session_detail", args=[decided_on_2026_1.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "inform the State Labour Inspectorate and re-screen at the next stage" in page
    assert "indicators are shown by code" in page
    assert "EX-01" in page
