"""The live assessment: htmx posts the unsaved ticks, the engine runs, a partial comes back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.audit.models import AuditEvent
from atpazit.screening.tests.factories import (
    DecidedSessionFactory,
    OpenSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


@pytest.fixture
def session(janis, detainee):
    return OpenSessionFactory(person=detainee, screener=janis, officer_language="en")


def preview(client, session, **ticks):
    return client.post(
        reverse("screening:session_preview", args=[session.pk]),
        {"version": session.version, "exploitation_form": "labour", **ticks},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.parametrize(
    ("ticks", "recommendation", "rule"),
    [
        ({}, "no action", "R6:"),
        ({"ind_RC_01": "on"}, "re-screen at the next stage, with a closer interview", "R5:"),
        ({"ind_EX_01": "on"}, "inform the State Labour Inspectorate", "R4:"),
        ({"ind_DR_01": "on"}, "refer for identification", "R2:"),
        (
            {
                "ind_EX_01": "on",
                "ind_EX_02": "on",
                "ind_EX_03": "on",
                "ind_CD_01": "on",
                "ind_CD_02": "on",
            },
            "refer for identification",
            "R3:",
        ),
        ({"ind_RC_01": "on", "treat_as_child": "on"}, "child-protection referral", "R1:"),
    ],
)
def test_the_partial_shows_the_recommendation_and_its_reasons(
    client_for, janis, session, ticks, recommendation, rule
):
    response = preview(client_for(janis), session, **ticks)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="recommendation"' in page
    assert recommendation in page
    assert rule in page


def test_it_saves_nothing(client_for, janis, session):
    preview(client_for(janis), session, ind_DR_01="on")

    session.refresh_from_db()
    assert session.recommendation == "no_action"
    assert not session.observations.exists()
    assert session.version == 1


def test_each_preview_is_audited(client_for, janis, session, detainee):
    preview(client_for(janis), session, ind_DR_01="on")

    event = AuditEvent.objects.get(action="screening.previewed")
    assert event.details == {"person": detainee.pk}


def test_the_reasons_are_in_the_officers_language(client_for, janis, detainee):
    session = OpenSessionFactory(person=detainee, screener=janis, officer_language="ru")

    page = preview(client_for(janis), session, ind_DR_01="on").content.decode()

    assert "направить на идентификацию" in page
    assert 'lang="ru"' in page


def test_the_child_banner_appears_when_the_profile_switches_to_child(client_for, janis, session):
    page = preview(client_for(janis), session, treat_as_child="on").content.decode()

    assert 'id="child-banner"' in page
    assert "Treated as a child" in page


def test_a_third_party_source_counts_and_is_flagged(client_for, janis, session):
    page = preview(
        client_for(janis), session, ind_DR_01="on", src_DR_01="third_party"
    ).content.decode()

    assert "refer for identification" in page
    assert "rests only on what a third party said" in page


def test_unknown_codes_and_sources_in_the_post_are_ignored(client_for, janis, session):
    response = preview(client_for(janis), session, ind_ZZ_99="on", ind_EX_01="on", src_EX_01="x")

    assert response.status_code == 200
    assert "inform the State Labour Inspectorate" in response.content.decode()


def test_only_the_screener_may_preview(client_for, ilze, session):
    assert preview(client_for(ilze), session, ind_DR_01="on").status_code == 403


def test_outside_scope_it_is_404(client_for, gunars, session):
    assert preview(client_for(gunars), session, ind_DR_01="on").status_code == 404


def test_a_decided_session_previews_its_stored_assessment(client_for, janis, detainee):
    session = DecidedSessionFactory(person=detainee, screener=janis, officer_language="en")

    page = preview(client_for(janis), session, ind_DR_01="on").content.decode()

    assert "refer for identification" not in page
    assert "no action" in page


def test_get_is_not_allowed(client_for, janis, session):
    response = client_for(janis).get(reverse("screening:session_preview", args=[session.pk]))

    assert response.status_code == 405
