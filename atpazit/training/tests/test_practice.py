"""Practising a scenario: asking questions unfolds the interview, the screening form is marked
against the model answer with the real engine, and nothing touches case data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.cases.models import Hold, Person
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, NotAllowed
from atpazit.screening.models import ScreeningSession
from atpazit.screening.services import ObservationInput, ProfileInput
from atpazit.training import services
from atpazit.training.models import Attempt

pytestmark = pytest.mark.django_db

CONSTRUCTION = "labour-construction-intake"


def ask_section(page: str) -> str:
    start = page.index('id="ask"')
    return page[start : page.index("</section>", start)]


def answer(client, attempt, *, ticks, decision, action="decide", form="labour", reason="Seen."):
    data = {"version": attempt.version, "exploitation_form": form, "action": action}
    for code in ticks:
        key = code.replace("-", "_")
        data[f"ind_{key}"] = "on"
        data[f"src_{key}"] = "said_by_person"
    data["decision"] = decision
    data["reason"] = reason
    return client.post(reverse("training:attempt", args=[attempt.pk]), data)


class TestTheInterviewUnfolds:
    def test_what_the_officer_asks_decides_what_the_person_says_next(self, roberts, client_for):
        client = client_for(roberts)
        response = client.post(
            reverse("training:start"), {"scenario": CONSTRUCTION, "module": "indicators"}
        )
        attempt = Attempt.objects.get(trainee=roberts)
        assert response.url == reverse("training:attempt", args=[attempt.pk])
        page = client.get(response.url).content.decode()
        assert "Tell me about a normal working day" not in ask_section(page)  # opened by q1

        client.post(reverse("training:ask", args=[attempt.pk]), {"question": "q1"})
        page = client.get(response.url).content.decode()

        assert "The agent said: work in a warehouse in Riga." in page
        assert "Tell me about a normal working day" in ask_section(page)

    def test_asking_keeps_what_was_ticked_so_far(self, roberts, client_for):
        client = client_for(roberts)
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)

        client.post(
            reverse("training:ask", args=[attempt.pk]),
            {
                "version": attempt.version,
                "ind_DR_01": "on",
                "src_DR_01": "observed",
                "question": "q2",
            },
        )

        attempt.refresh_from_db()
        assert attempt.asked == ["q2"]
        assert attempt.form_values["ind_DR_01"] == "on"
        assert attempt.form_values["src_DR_01"] == "observed"
        page = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()
        assert 'name="ind_DR_01" id="id_ind_DR_01" checked' in page

    def test_a_question_not_open_yet_is_refused(self, roberts):
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)

        with pytest.raises(InvalidInput):
            services.ask_question(actor=actor_of(roberts), attempt=attempt, question_id="q4")

    def test_the_time_for_questions_ends(self, roberts):
        actor = actor_of(roberts)
        attempt = services.start_attempt(actor=actor, scenario_id=CONSTRUCTION)
        for question in ("q2", "q3", "q1"):
            attempt = services.ask_question(actor=actor, attempt=attempt, question_id=question)

        with pytest.raises(InvalidInput):
            services.ask_question(actor=actor, attempt=attempt, question_id="q4")
        assert attempt.asked == ["q2", "q3", "q1"]


class TestFeedback:
    def test_it_names_the_missed_indicator_and_the_question_that_uncovers_it(
        self, roberts, client_for
    ):
        client = client_for(roberts)
        attempt = services.start_attempt(
            actor=actor_of(roberts), scenario_id=CONSTRUCTION, module="indicators"
        )

        response = answer(client, attempt, ticks=["DR-01", "CD-01"], decision="raise_suspicion")

        attempt.refresh_from_db()
        assert response.url == reverse("training:feedback", args=[attempt.pk])
        assert (attempt.found, attempt.missed, attempt.extra) == (["CD-01", "DR-01"], ["EX-01"], [])
        assert attempt.decision_correct is True
        assert attempt.score == 50 + round(50 * 2 / 3)
        assert attempt.assessment["recommendation"] == "refer_for_identification"
        page = client.get(response.url).content.decode()
        assert "EX-01" in page
        assert (
            'The question that would have uncovered it: <q lang="en">Tell me about a normal '
            "working day: when did it start and end?"
        ) in page
        assert "Your decision matches the model answer." in page
        # Why: the engine's own reasons for the model answer, in the reader's language.
        assert "strong indicator" in page.lower() or "R2" in page

    def test_a_heard_but_unticked_indicator_is_named_as_such(self, roberts):
        actor = actor_of(roberts)
        attempt = services.start_attempt(actor=actor, scenario_id=CONSTRUCTION)
        attempt = services.ask_question(actor=actor, attempt=attempt, question_id="q2")

        done = services.complete_attempt(
            actor=actor,
            attempt=attempt,
            observations=[ObservationInput("DR-01")],
            profile=ProfileInput("labour"),
            decision="raise_suspicion",
            reason="Deceived about the job.",
            values={},
            version=attempt.version,
        )

        from atpazit.training.feedback import missed_details
        from atpazit.training.selectors import scenario_version

        details = {
            d.code: d
            for d in missed_details(
                scenario_version(CONSTRUCTION, 1, None), done.missed, done.asked
            )
        }
        assert [q.id for q in details["CD-01"].asked] == ["q2"]
        assert details["EX-01"].asked == ()

    def test_referring_a_labour_dispute_is_marked_wrong(self, roberts):
        actor = actor_of(roberts)
        attempt = services.start_attempt(actor=actor, scenario_id="labour-dispute-wages")

        done = services.complete_attempt(
            actor=actor,
            attempt=attempt,
            observations=[ObservationInput("EX-10")],
            profile=ProfileInput("labour"),
            decision="raise_suspicion",
            reason="Unpaid wages.",
            values={},
            version=attempt.version,
        )

        assert done.decision_correct is False
        assert done.score == 50  # every indicator found, the decision wrong
        assert done.assessment["recommendation"] == "labour_inspectorate_and_rescreen"

    def test_a_wrong_tick_costs_as_a_missed_one(self, roberts):
        actor = actor_of(roberts)
        attempt = services.start_attempt(actor=actor, scenario_id="smuggling-only-intake")

        done = services.complete_attempt(
            actor=actor,
            attempt=attempt,
            observations=[ObservationInput("DR-07")],
            profile=ProfileInput("unknown"),
            decision="no_action",
            reason="Paid the driver.",
            values={},
            version=attempt.version,
        )

        assert (done.extra, done.score) == (["DR-07"], 50)

    def test_a_decision_needs_a_reason_and_nothing_is_marked_without_it(self, roberts, client_for):
        client = client_for(roberts)
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)

        response = answer(client, attempt, ticks=["DR-01"], decision="raise_suspicion", reason="")

        assert response.status_code == 200
        assert "a decision needs a reason" in response.content.decode()
        attempt.refresh_from_db()
        assert attempt.is_open
        assert attempt.score is None

    def test_a_stale_form_is_refused(self, roberts):
        actor = actor_of(roberts)
        attempt = services.start_attempt(actor=actor, scenario_id=CONSTRUCTION)
        services.ask_question(actor=actor, attempt=attempt, question_id="q1")

        with pytest.raises(ConcurrentEdit):
            services.save_form(actor=actor, attempt=attempt, values={}, version=attempt.version)

    def test_save_keeps_the_ticks_and_shows_the_engines_advice(self, roberts, client_for):
        client = client_for(roberts)
        attempt = services.start_attempt(
            actor=actor_of(roberts), scenario_id="sexual-handover-waiting"
        )

        answer(client, attempt, ticks=["RC-09"], decision="", action="save")

        attempt.refresh_from_db()
        assert attempt.is_open
        assert attempt.form_values["ind_RC_09"] == "on"
        page = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()
        assert "Recommendation:" in page
        assert "refer for identification" in page


class TestTrainingIsNotCaseData:
    def test_practice_never_creates_a_person_a_screening_or_a_hold(self, roberts, client_for):
        client = client_for(roberts)
        attempt = services.start_attempt(
            actor=actor_of(roberts), scenario_id="sexual-handover-waiting"
        )
        client.post(reverse("training:ask", args=[attempt.pk]), {"question": "q1"})
        attempt.refresh_from_db()

        answer(client, attempt, ticks=["RC-09", "VR-11"], decision="raise_suspicion")

        attempt.refresh_from_db()
        assert attempt.decision_correct is True
        assert Person.objects.count() == 0
        assert ScreeningSession.objects.count() == 0
        assert Hold.objects.count() == 0

    @pytest.mark.parametrize(
        "name", ["home", "library", "progress", "cohort", "scenarios", "scenario_new"]
    )
    def test_every_training_page_says_training(self, karlis, client_for, name):
        page = client_for(karlis).get(reverse(f"training:{name}")).content.decode()

        assert 'id="training-banner"' in page
        assert "TRAINING" in page

    def test_the_attempt_and_feedback_pages_say_training(self, roberts, client_for):
        client = client_for(roberts)
        attempt = services.start_attempt(
            actor=actor_of(roberts), scenario_id=CONSTRUCTION, module="indicators"
        )
        pages = [
            reverse("training:attempt", args=[attempt.pk]),
            reverse("training:module", args=["indicators"]),
        ]
        answer(client, attempt, ticks=["DR-01"], decision="raise_suspicion")
        pages.append(reverse("training:feedback", args=[attempt.pk]))

        for url in pages:
            assert 'id="training-banner"' in client.get(url, follow=True).content.decode()


class TestOwnAttemptsOnly:
    def test_another_trainees_attempt_is_not_found(self, roberts, elina, client_for):
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)
        client = client_for(elina)

        assert client.get(reverse("training:attempt", args=[attempt.pk])).status_code == 404
        assert (
            client.post(reverse("training:ask", args=[attempt.pk]), {"question": "q1"}).status_code
            == 404
        )

    def test_a_service_refuses_anothers_attempt(self, roberts, elina):
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)

        with pytest.raises(NotAllowed):
            services.ask_question(actor=actor_of(elina), attempt=attempt, question_id="q1")


class TestDashboardPanel:
    def test_the_trainee_sees_the_course_and_the_started_scenarios(self, roberts, client_for):
        services.start_attempt(
            actor=actor_of(roberts), scenario_id=CONSTRUCTION, module="indicators"
        )

        page = client_for(roberts).get(reverse("web:dashboard")).content.decode()

        assert "Modules passed: 0 of 7." in page
        assert "A building site, not a warehouse" in page

    def test_the_trainer_sees_how_many_trainees_are_certified(self, karlis, roberts, client_for):
        page = client_for(karlis).get(reverse("web:dashboard")).content.decode()

        assert "Trainees of your organisation with a certificate: 0 of 1." in page
