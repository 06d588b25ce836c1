"""Work that is never lost (issue 11): every change of the interview form posts the whole form
as a draft (htmx); the answer is the live assessment of it. Reopening the interview restores
every tick and note; a window that has not seen the latest draft is refused, never silently
overwriting it; "Save" and the decision make the session the record and drop the draft."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from atpazit.audit.models import AuditEvent
from atpazit.screening.models import InterviewDraft
from atpazit.screening.tests.factories import (
    DecidedSessionFactory,
    OpenSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


@pytest.fixture
def session(janis, detainee):
    return OpenSessionFactory(person=detainee, screener=janis, officer_language="en")


def post_draft(client, session, *, revision=0, version=None, **fields):
    return client.post(
        reverse("screening:session_draft", args=[session.pk]),
        {
            "version": session.version if version is None else version,
            "draft_revision": revision,
            "exploitation_form": "labour",
            **fields,
        },
        HTTP_HX_REQUEST="true",
    )


def interview(client, session):
    return client.get(reverse("screening:session_interview", args=[session.pk]))


# --- the live assessment comes back with every draft ----------------------------------------


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
def test_the_answer_shows_the_recommendation_and_its_reasons(
    client_for, janis, session, ticks, recommendation, rule
):
    response = post_draft(client_for(janis), session, **ticks)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="recommendation"' in page
    assert recommendation in page
    assert rule in page
    # The sticky line and the draft's state are updated beside it (out of band).
    assert 'id="live-recommendation" class="live-recommendation" hx-swap-oob="true"' in page
    assert 'id="draft-revision" value="1" hx-swap-oob="true"' in page


def test_the_reasons_are_in_the_officers_language(client_for, janis, detainee):
    session = OpenSessionFactory(person=detainee, screener=janis, officer_language="ru")

    page = post_draft(client_for(janis), session, ind_DR_01="on")

    assert "направить на идентификацию" in page.content.decode()
    assert 'lang="ru"' in page.content.decode()


def test_the_child_banner_appears_when_the_profile_switches_to_child(client_for, janis, session):
    page = post_draft(client_for(janis), session, treat_as_child="on").content.decode()

    assert 'id="child-banner"' in page
    assert "Treated as a child" in page


def test_a_third_party_source_counts_and_is_flagged(client_for, janis, session):
    page = post_draft(
        client_for(janis), session, ind_DR_01="on", src_DR_01="third_party"
    ).content.decode()

    assert "refer for identification" in page
    assert "rests only on what a third party said" in page


def test_unknown_codes_and_fields_are_not_kept(client_for, janis, session):
    response = post_draft(
        client_for(janis), session, ind_ZZ_99="on", ind_EX_01="on", src_EX_01="x", other="y"
    )

    assert response.status_code == 200
    assert "inform the State Labour Inspectorate" in response.content.decode()
    kept = interview(client_for(janis), session).context["draft"].values
    assert set(kept) == {"exploitation_form", "ind_EX_01", "src_EX_01"}
    assert kept["ind_EX_01"] == "on"


# --- kept, restored, and the session untouched until "Save" ---------------------------------


def test_a_draft_changes_nothing_in_the_session(client_for, janis, session):
    post_draft(client_for(janis), session, ind_DR_01="on", note_DR_01="Promised warehouse work.")

    session.refresh_from_db()
    assert session.recommendation == "no_action"
    assert not session.observations.exists()
    assert session.version == 1
    assert InterviewDraft.objects.get(session=session).revision == 1


def test_reopening_the_interview_restores_every_tick_and_note(client_for, janis, session):
    client = client_for(janis)
    post_draft(
        client,
        session,
        ind_DR_01="on",
        src_DR_01="observed",
        note_DR_01="Promised warehouse work.",
        treat_as_child="on",
        decision="raise_suspicion",
        reason="Deceptive recruitment.",
    )

    response = interview(client, session)

    page = response.content.decode()
    form = response.context["form"]
    assert form["ind_DR_01"].value() is True
    assert form["src_DR_01"].value() == "observed"
    assert form["note_DR_01"].value() == "Promised warehouse work."
    assert form["treat_as_child"].value() is True
    assert form["decision"].value() == "raise_suspicion"
    assert form["reason"].value() == "Deceptive recruitment."
    assert 'id="draft-restored"' in page
    assert 'id="draft-revision" value="1"' in page
    # The recommendation shown is the draft's, not the stored "no action".
    assert "child-protection referral" in page


def test_an_untick_in_the_draft_wins_over_the_saved_tick(client_for, janis, session):
    client = client_for(janis)
    client.post(
        reverse("screening:session_interview", args=[session.pk]),
        {"version": 1, "exploitation_form": "labour", "ind_DR_01": "on", "action": "save"},
    )
    session.refresh_from_db()

    post_draft(client, session, ind_EX_01="on")

    form = interview(client, session).context["form"]
    assert form["ind_DR_01"].value() is False
    assert form["ind_EX_01"].value() is True


def test_the_groups_show_how_many_indicators_are_ticked(client_for, janis, session):
    client = client_for(janis)
    post_draft(client, session, ind_EX_01="on", ind_EX_02="on")

    page = interview(client, session).content.decode()

    assert '<details class="card" open data-dimension="exploitative_conditions">' in page
    assert "ticked: <span data-ticked-count>2</span>" in page


def test_saving_the_interview_makes_the_session_the_record_and_drops_the_draft(
    client_for, janis, session
):
    client = client_for(janis)
    post_draft(client, session, ind_DR_01="on", note_DR_01="Promised warehouse work.")

    client.post(
        reverse("screening:session_interview", args=[session.pk]),
        {
            "version": 1,
            "draft_revision": 1,
            "exploitation_form": "labour",
            "ind_DR_01": "on",
            "note_DR_01": "Promised warehouse work.",
            "action": "save",
        },
    )

    assert not InterviewDraft.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert list(session.observations.values_list("indicator", flat=True)) == ["DR-01"]
    assert 'id="draft-restored"' not in interview(client, session).content.decode()


def test_a_refused_decision_keeps_the_draft(client_for, janis, session):
    client = client_for(janis)
    post_draft(client, session, ind_DR_01="on")

    client.post(
        reverse("screening:session_interview", args=[session.pk]),
        {"version": 1, "exploitation_form": "labour", "ind_DR_01": "on", "action": "decide"},
    )

    assert InterviewDraft.objects.filter(session=session).exists()


def test_the_draft_is_encrypted_at_rest(client_for, janis, session):
    post_draft(client_for(janis), session, ind_DR_01="on", note_DR_01="Promised warehouse work.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM screening_interviewdraft")
        (stored,) = cursor.fetchone()
    assert "warehouse" not in stored
    assert "DR_01" not in stored


def test_a_note_too_long_is_refused_naming_the_indicator(client_for, janis, session):
    response = post_draft(client_for(janis), session, ind_DR_01="on", note_DR_01="x" * 4001)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#draft-status"
    assert "DR-01" in response.content.decode()
    assert not InterviewDraft.objects.exists()


# --- audit -------------------------------------------------------------------------------------


def test_each_draft_is_audited_as_a_write_with_codes_only(client_for, janis, session, detainee):
    post_draft(client_for(janis), session, ind_DR_01="on", note_DR_01="Promised warehouse work.")

    event = AuditEvent.objects.get(action="screening.draft_saved")
    assert event.object_type == "screening.screeningsession"
    assert event.object_id == str(session.pk)
    assert event.details == {"person": detainee.pk, "revision": 1, "indicators": ["DR-01"]}


def test_reopening_with_a_draft_is_one_read_of_the_session(client_for, janis, session):
    client = client_for(janis)
    post_draft(client, session, ind_DR_01="on")

    interview(client, session)

    reads = AuditEvent.objects.filter(action="screening.viewed", object_id=str(session.pk))
    assert reads.count() == 1


# --- two windows or devices: detected, never silently overwritten (I8) -----------------------


def test_a_window_that_missed_the_latest_draft_is_refused(client_for, janis, session):
    client = client_for(janis)
    post_draft(client, session, revision=0, ind_DR_01="on")  # the tablet
    response = post_draft(client, session, revision=0, ind_EX_01="on")  # the desktop, stale

    assert response.status_code == 409
    assert response["HX-Retarget"] == "#draft-status"
    page = response.content.decode()
    assert "changed in another window or on another device" in page
    assert 'hx-vals=\'{"take_over_revision": "1"}\'' in page
    kept = interview(client, session).context["draft"].values
    assert kept["ind_DR_01"] == "on"
    assert "ind_EX_01" not in kept
    assert not AuditEvent.objects.filter(
        action="screening.draft_saved", details__revision=2
    ).exists()


def test_keeping_this_windows_version_is_a_knowing_overwrite(client_for, janis, session):
    client = client_for(janis)
    post_draft(client, session, revision=0, ind_DR_01="on")

    response = post_draft(client, session, revision=0, take_over_revision=1, ind_EX_01="on")

    assert response.status_code == 200
    kept = interview(client, session).context["draft"].values
    assert "ind_DR_01" not in kept
    assert kept["ind_EX_01"] == "on"


def test_a_take_over_of_a_revision_already_replaced_again_is_refused(client_for, janis, session):
    client = client_for(janis)
    post_draft(client, session, revision=0, ind_DR_01="on")
    post_draft(client, session, revision=1, ind_RC_01="on")

    response = post_draft(client, session, revision=0, take_over_revision=1, ind_EX_01="on")

    assert response.status_code == 409


def test_a_draft_of_a_session_saved_elsewhere_meanwhile_is_refused(client_for, janis, session):
    client = client_for(janis)
    client.post(
        reverse("screening:session_interview", args=[session.pk]),
        {"version": 1, "exploitation_form": "labour", "ind_DR_01": "on", "action": "save"},
    )

    response = post_draft(client_for(janis), session, version=1, ind_EX_01="on")

    assert response.status_code == 409
    assert "saved elsewhere" in response.content.decode()
    assert not InterviewDraft.objects.exists()


def test_a_decided_session_keeps_no_draft(client_for, janis, detainee):
    session = DecidedSessionFactory(person=detainee, screener=janis, officer_language="en")

    response = post_draft(client_for(janis), session, ind_DR_01="on")

    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    assert not InterviewDraft.objects.exists()


# --- who may keep and read a draft ---------------------------------------------------------------


def test_another_officer_of_the_unit_may_not_keep_a_draft(client_for, ilze, session):
    assert post_draft(client_for(ilze), session, ind_DR_01="on").status_code == 403
    assert not InterviewDraft.objects.exists()


def test_outside_scope_it_is_404(client_for, gunars, session):
    assert post_draft(client_for(gunars), session, ind_DR_01="on").status_code == 404


def test_only_the_screener_sees_the_draft(client_for, janis, dace, session):
    post_draft(client_for(janis), session, ind_DR_01="on", note_DR_01="Promised warehouse work.")

    detail = client_for(dace).get(reverse("screening:session_detail", args=[session.pk]))

    assert detail.status_code == 200
    assert "warehouse" not in detail.content.decode()
    assert client_for(dace).get(
        reverse("screening:session_interview", args=[session.pk])
    ).status_code in (403, 404)


def test_get_is_not_allowed(client_for, janis, session):
    response = client_for(janis).get(reverse("screening:session_draft", args=[session.pk]))

    assert response.status_code == 405
