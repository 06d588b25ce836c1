"""Request tests for the screening pages: scope (404 outside it), the form, decisions, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import (
    DecidedSessionFactory,
    OpenSessionFactory,
    SuspicionRaisedSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


@pytest.fixture
def officer(janis, client_for):
    """Jānis's browser, in English."""
    return client_for(janis)


def interview_post(session, **fields):
    data = {
        "version": str(session.version),
        "exploitation_form": "labour",
        "action": "save",
    }
    data.update(fields)
    return data


class TestPersonSessions:
    def test_the_person_page_offers_screening_through_a_lazy_section(self, officer, detainee):
        response = officer.get(reverse("cases:person_detail", args=[detainee.pk]))

        page = response.content.decode()
        url = reverse("screening:person_sessions", args=[detainee.pk])
        assert f'hx-get="{url}"' in page
        assert f'href="{url}"' in page

    def test_the_partial_lists_screenings_and_offers_to_screen(self, officer, janis, detainee):
        session = DecidedSessionFactory(person=detainee, screener=janis)

        response = officer.get(
            reverse("screening:person_sessions", args=[detainee.pk]), HTTP_HX_REQUEST="true"
        )

        page = response.content.decode()
        assert "<html" not in page
        assert "Screen this person" in page
        assert reverse("screening:session_detail", args=[session.pk]) in page
        assert "no action" in page
        event = AuditEvent.objects.get(action="screenings.listed")
        assert event.object_id == str(detainee.pk)

    def test_without_htmx_it_is_a_full_page(self, officer, detainee):
        response = officer.get(reverse("screening:person_sessions", args=[detainee.pk]))

        assert "<html" in response.content.decode()
        assert "This person has not been screened yet." in response.content.decode()

    def test_a_person_of_another_unit_is_not_found(self, client_for, gunars, detainee):
        response = client_for(gunars).get(reverse("screening:person_sessions", args=[detainee.pk]))

        assert response.status_code == 404

    def test_a_case_officer_sees_results_but_is_not_offered_someone_elses_draft(
        self, client_for, ilze, janis, detainee
    ):
        OpenSessionFactory(person=detainee, screener=janis)

        response = client_for(ilze).get(reverse("screening:person_sessions", args=[detainee.pk]))

        assert "in progress" in response.content.decode()


class TestStart:
    def test_the_form_suggests_russian_prompts_for_an_uzbek_speaker(self, officer, detainee):
        response = officer.get(reverse("screening:session_start", args=[detainee.pk]))

        assert response.status_code == 200
        form = response.context["form"]
        assert form.initial["prompt_language"] == "ru"
        assert form.initial["interview_language"] == "uz"

    def test_starting_opens_the_interview(self, officer, janis, detainee):
        response = officer.post(
            reverse("screening:session_start", args=[detainee.pk]),
            {
                "stage": "detention_intake",
                "interview_language": "uz",
                "prompt_language": "ru",
                "officer_language": "lv",
                "exploitation_form": "labour",
            },
        )

        session = ScreeningSession.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("screening:session_interview", args=[session.pk])
        assert session.screener == janis

    def test_a_bad_choice_is_named_and_nothing_is_saved(self, officer, detainee):
        response = officer.post(
            reverse("screening:session_start", args=[detainee.pk]),
            {"stage": "moon", "interview_language": "uz", "prompt_language": "ru"},
        )

        assert response.status_code == 200
        assert set(response.context["form"].errors) >= {"stage", "officer_language"}
        assert not ScreeningSession.objects.exists()

    def test_a_child_gets_the_child_banner(self, officer, riga):
        child = ChildPersonFactory(organisation=riga)

        response = officer.get(reverse("screening:session_start", args=[child.pk]))

        assert "the child profile applies" in response.content.decode()

    def test_outside_scope_it_is_404(self, client_for, gunars, detainee):
        response = client_for(gunars).get(reverse("screening:session_start", args=[detainee.pk]))

        assert response.status_code == 404

    def test_a_caseworker_may_not_screen(self, client_for, liga, detainee):
        response = client_for(liga).get(reverse("screening:session_start", args=[detainee.pk]))

        assert response.status_code == 403


class TestInterview:
    def test_prompts_are_shown_in_the_persons_language_next_to_the_officers(
        self, officer, janis, detainee
    ):
        session = OpenSessionFactory(person=detainee, screener=janis)

        response = officer.get(reverse("screening:session_interview", args=[session.pk]))

        page = response.content.decode()
        assert (
            '<td lang="ru" dir="ltr">Где ваш паспорт?</td><td lang="lv">Kur ir Jūsu pase?</td>'
            in page
        )
        assert 'hx-post="{}"'.format(reverse("screening:session_draft", args=[session.pk])) in page
        assert "<script" not in page.split("</head>")[1]
        assert AuditEvent.objects.filter(action="screening.viewed").exists()

    def test_saving_records_the_ticks_without_javascript(self, officer, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis)
        url = reverse("screening:session_interview", args=[session.pk])

        response = officer.post(
            url,
            interview_post(
                session, ind_CD_01="on", src_CD_01="observed", note_CD_01="Pasi paturēja."
            ),
        )

        assert response.status_code == 302
        assert response.url == url
        session.refresh_from_db()
        assert session.recommendation == "refer_for_identification"
        assert session.observations.get().note == "Pasi paturēja."
        assert session.is_open

    def test_recording_the_decision_saves_ticks_and_decision_together(
        self, officer, janis, detainee
    ):
        session = OpenSessionFactory(person=detainee, screener=janis)

        response = officer.post(
            reverse("screening:session_interview", args=[session.pk]),
            interview_post(
                session,
                ind_EX_01="on",
                action="decide",
                decision="labour_inspectorate",
                reason="Darba strīds; intervija pēc nedēļas.",
            ),
        )

        assert response.status_code == 302
        assert response.url == reverse("screening:session_detail", args=[session.pk])
        session.refresh_from_db()
        assert session.decision == "labour_inspectorate"
        assert list(session.observations.values_list("indicator", flat=True)) == ["EX-01"]

    def test_a_decision_without_a_reason_saves_nothing_and_keeps_the_ticks_on_screen(
        self, officer, janis, detainee
    ):
        session = OpenSessionFactory(person=detainee, screener=janis)

        response = officer.post(
            reverse("screening:session_interview", args=[session.pk]),
            interview_post(session, ind_DR_01="on", action="decide", decision="no_action"),
        )

        assert response.status_code == 200
        assert "Write the reason for your decision." in response.content.decode()
        assert 'name="ind_DR_01" id="id_ind_DR_01" checked' in response.content.decode()
        session.refresh_from_db()
        assert session.is_open
        assert not session.observations.exists()
        # The panel still shows the advice for what is ticked.
        assert response.context["view"].recommendation == "refer_for_identification"

    def test_a_note_on_an_unticked_indicator_is_refused_by_name(self, officer, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis)

        response = officer.post(
            reverse("screening:session_interview", args=[session.pk]),
            interview_post(session, note_CD_02="Draudēja ar policiju."),
        )

        assert response.status_code == 200
        assert "CD-02: tick the indicator, or remove the note" in response.content.decode()
        assert not session.observations.exists()

    def test_a_stale_form_is_refused_with_an_explanation(self, officer, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis, version=3)

        response = officer.post(
            reverse("screening:session_interview", args=[session.pk]),
            {**interview_post(session, ind_EX_01="on"), "version": "2"},
        )

        assert response.status_code == 200
        assert "saved elsewhere after you opened it" in response.content.decode()
        assert not session.observations.exists()

    def test_someone_elses_open_screening_is_refused(self, client_for, ilze, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis)

        response = client_for(ilze).get(reverse("screening:session_interview", args=[session.pk]))

        assert response.status_code == 403

    def test_a_decided_screening_redirects_to_its_page(self, officer, janis, detainee):
        session = DecidedSessionFactory(person=detainee, screener=janis)

        response = officer.get(reverse("screening:session_interview", args=[session.pk]))

        assert response.url == reverse("screening:session_detail", args=[session.pk])

    def test_outside_scope_it_is_404(self, client_for, gunars, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis)

        response = client_for(gunars).get(reverse("screening:session_interview", args=[session.pk]))

        assert response.status_code == 404


class TestDetail:
    def test_the_case_officer_sees_the_recommendation_and_the_decision(
        self, client_for, ilze, janis, detainee
    ):
        session = SuspicionRaisedSessionFactory(person=detainee, screener=janis)

        response = client_for(ilze).get(reverse("screening:session_detail", args=[session.pk]))

        page = response.content.decode()
        assert "refer for identification" in page
        assert "raise a suspicion of trafficking" in page
        assert "Solīts darbs noliktavā" in page
        event = AuditEvent.objects.get(action="screening.viewed")
        assert event.details == {"person": detainee.pk, "notes": True}

    def test_outside_scope_it_is_404(self, client_for, gunars, janis, detainee):
        session = DecidedSessionFactory(person=detainee, screener=janis)

        response = client_for(gunars).get(reverse("screening:session_detail", args=[session.pk]))

        assert response.status_code == 404

    def test_a_caseworker_is_refused(self, client_for, liga, janis, detainee):
        session = DecidedSessionFactory(person=detainee, screener=janis)

        response = client_for(liga).get(reverse("screening:session_detail", args=[session.pk]))

        assert response.status_code == 403


class TestNotesNeedToKnow:
    NOTE = "Brigadieris paturēja pasi un draudēja."

    @pytest.fixture
    def session(self, janis, detainee):
        """Jānis noted what the person said about the passport, through an interpreter."""
        return DecidedSessionFactory(
            person=detainee,
            screener=janis,
            indicators=("CD-01",),
            notes={"CD-01": self.NOTE},
            interpreter_used=True,
            interpreter_name="Rustam Aliev",
        )

    def test_the_screeners_organisation_reads_the_notes(self, client_for, ilze, session):
        page = (
            client_for(ilze)
            .get(reverse("screening:session_detail", args=[session.pk]))
            .content.decode()
        )

        assert self.NOTE in page
        assert "Rustam Aliev" in page

    def test_a_monitor_sees_that_a_note_exists_but_not_the_note(self, client_for, dace, session):
        response = client_for(dace).get(reverse("screening:session_detail", args=[session.pk]))

        page = response.content.decode()
        assert response.status_code == 200
        assert self.NOTE not in page
        assert "Rustam Aliev" not in page
        assert "A note exists; only the screener's organisation can read it." in page
        assert "CD-01" in page
        event = AuditEvent.objects.get(action="screening.viewed")
        assert event.details["notes"] is False

    def test_the_border_guard_reads_a_monitors_result_but_not_the_monitors_notes(
        self, client_for, ilze, dace, detainee
    ):
        session = DecidedSessionFactory(
            person=detainee,
            screener=dace,
            organisation=dace.memberships.get().organisation,
            indicators=("RC-01",),
            notes={"RC-01": "Pavadonis atbildēja viņas vietā."},
        )

        page = (
            client_for(ilze)
            .get(reverse("screening:session_detail", args=[session.pk]))
            .content.decode()
        )

        assert "re-screen at the next stage" in page
        assert "Pavadonis atbildēja" not in page


class TestList:
    def test_it_lists_visible_screenings_only(self, officer, janis, detainee, daugavpils):
        mine = DecidedSessionFactory(person=detainee, screener=janis)
        elsewhere = DecidedSessionFactory(person=PersonFactory(organisation=daugavpils))

        response = officer.get(reverse("screening:session_list"))

        page = response.content.decode()
        assert reverse("screening:session_detail", args=[mine.pk]) in page
        assert reverse("screening:session_detail", args=[elsewhere.pk]) not in page
        assert AuditEvent.objects.filter(action="screenings.listed").exists()

    def test_in_progress_only(self, officer, janis, detainee):
        open_session = OpenSessionFactory(person=detainee, screener=janis)
        closed = DecidedSessionFactory(person=detainee, screener=janis)

        page = officer.get(reverse("screening:session_list") + "?open=1").content.decode()

        assert reverse("screening:session_detail", args=[open_session.pk]) in page
        assert reverse("screening:session_detail", args=[closed.pk]) not in page


class TestDashboardPanel:
    def test_a_border_guard_officer_sees_open_screenings_and_unscreened_departures(
        self, officer, janis, detainee, riga
    ):
        import datetime

        from django.utils import timezone

        OpenSessionFactory(person=detainee, screener=janis)
        leaving = PersonFactory(
            organisation=riga,
            status="removal_planned",
            planned_removal_date=timezone.localdate() + datetime.timedelta(days=3),
        )

        page = officer.get(reverse("web:dashboard")).content.decode()

        assert "Screening: act now" in page
        assert detainee.case_number in page
        assert leaving.case_number in page

    def test_a_monitor_sees_decisions_that_depart_from_a_referral_advice(
        self, client_for, dace, janis, detainee
    ):
        session = DecidedSessionFactory(
            person=detainee, screener=janis, indicators=("DR-01",), decision="no_action"
        )

        page = client_for(dace).get(reverse("web:dashboard")).content.decode()

        assert "Referral advised, other decision taken" in page
        assert reverse("screening:session_detail", args=[session.pk]) in page


class TestInterviewBeforeDeparture:
    """R7: at the last stages the page says a closer interview and a call to a provider must
    happen before the person leaves."""

    def test_one_medium_indicator_at_pre_departure_asks_for_an_interview_before_departure(
        self, client_for, janis, detainee
    ):
        session = OpenSessionFactory(
            person=detainee, screener=janis, stage="pre_departure", indicators=("DR-02",)
        )

        response = client_for(janis).get(reverse("screening:session_interview", args=[session.pk]))

        page = response.content.decode()
        assert session.recommendation == "interview_before_departure"
        assert 'id="interview-before-departure"' in page
        assert "call a provider of support to victims of trafficking" in page
        assert 'value="rescreen_next_stage"' not in page  # no later stage to re-screen at

    def test_the_same_indicator_at_intake_still_rescreens_later(self, client_for, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis, indicators=("DR-02",))

        response = client_for(janis).get(reverse("screening:session_interview", args=[session.pk]))

        assert session.recommendation == "rescreen_next_stage"
        assert 'id="interview-before-departure"' not in response.content.decode()
