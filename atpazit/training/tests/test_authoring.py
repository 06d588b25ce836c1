"""Authoring a scenario in the structured form (issue 13 review): the fields of a scenario, its
interview questions and its model answer, Latvian required; every error names its field; the
model answer is checked against the engine when saved; each save is a new version and an
attempt keeps the version it was taken on."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.training import services
from atpazit.training.forms import initial_of
from atpazit.training.library import shipped_scenarios
from atpazit.training.models import Attempt, AuthoredScenario
from atpazit.training.selectors import current_scenarios, scenario_version

pytestmark = pytest.mark.django_db

CONSTRUCTION = "labour-construction-intake"
EDIT = reverse("training:scenario_edit", args=[CONSTRUCTION])
NEW = reverse("training:scenario_new")


def shipped(scenario_id: str = CONSTRUCTION):
    return next(s for s in shipped_scenarios() if s.id == scenario_id)


def form_data(
    scenario_id: str = CONSTRUCTION, *, version: int = 2, rows: list[dict] | None = None, **changes
) -> dict[str, Any]:
    """The POST of the authoring form filled in as the shipped scenario, with ``changes``."""
    values, questions = initial_of(shipped(scenario_id), version=version)
    values.update(changes)
    data: dict[str, Any] = {"action": "save"}
    for name, value in values.items():
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    questions = questions if rows is None else rows
    data["questions-TOTAL_FORMS"] = str(len(questions))
    data["questions-INITIAL_FORMS"] = "0"
    for index, row in enumerate(questions):
        for name, value in row.items():
            if value not in (None, "", False):
                data[f"questions-{index}-{name}"] = value
    return data


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


class TestTheForm:
    def test_the_form_shows_the_scenario_in_fields_not_as_yaml(self, karlis, client_for):
        page = client_for(karlis).get(EDIT).content.decode()

        assert "<textarea" in page  # the texts
        assert "version: 2" not in page
        assert 'name="title_lv" value="Būvlaukums, nevis noliktava"' in page
        assert 'name="questions-0-prompt"' in page
        assert '<option value="DR-01.1" selected>' in page
        assert 'name="model_indicators" value="EX-01" id=' in page
        assert 'name="version" value="2"' in page

    def test_a_trainer_saves_the_next_version_from_the_form(self, karlis, college, client_for):
        data = form_data(title_en="The warehouse that was a building site")

        response = client_for(karlis).post(EDIT, data)

        assert response.status_code == 302, response.context["form"].errors
        stored = AuthoredScenario.objects.get()
        assert (stored.scenario_id, stored.version, stored.author) == (CONSTRUCTION, 2, karlis)
        current = current_scenarios(college)[CONSTRUCTION]
        assert current.title.en == "The warehouse that was a building site"
        # The questions kept their graph: q1 opens q4; q1-q3 are open from the start.
        assert current.start == ("q1", "q2", "q3")
        assert current.question("q1").unlocks == ("q4",)
        assert current.question("q4").reveals == ("EX-01",)
        model = shipped().model_answer
        assert set(current.model_answer.indicators) == set(model.indicators)
        assert (current.model_answer.decision, current.model_answer.notes) == (
            model.decision,
            model.notes,
        )
        assert AuditEvent.objects.filter(action="training.scenario_authored").count() == 1

    def test_a_new_scenario_needs_only_latvian(self, karlis, college, client_for):
        _values, rows = initial_of(shipped(), version=1)
        for row in rows:
            row["reply_en"] = row["reply_ru"] = ""
        data = form_data(version=1, rows=rows, id="port-warehouse", title_en="", title_ru="")
        for name in ("situation", "observed", "says", "notes"):
            data.pop(f"{name}_en"), data.pop(f"{name}_ru")

        response = client_for(karlis).post(NEW, data)

        assert response.status_code == 302, response.context["form"].errors
        scenario = current_scenarios(college)["port-warehouse"]
        assert scenario.title.en == ""
        assert scenario.title.in_language("en") == "Būvlaukums, nevis noliktava"

    def test_a_missing_latvian_text_is_named_and_nothing_is_saved(self, karlis, client_for):
        data = form_data(version=1, id="port-warehouse", title_lv="  ")
        data.pop("questions-1-reply_lv")

        response = client_for(karlis).post(NEW, data)

        assert response.status_code == 200
        assert field_errors(response, "title_lv") == ["This field is required."]
        assert response.context["questions"].forms[1].errors["reply_lv"]
        assert (
            "Question no. 2: The person&#x27;s reply (Latvian): This field is required."
            in response.content.decode()
        )
        assert AuthoredScenario.objects.count() == 0

    def test_a_model_answer_the_engine_disagrees_with_shows_the_engines_advice(
        self, karlis, client_for
    ):
        data = form_data(recommendation="no_action", decision="no_action")

        response = client_for(karlis).post(EDIT, data)

        page = response.content.decode()
        assert response.status_code == 200
        [error] = field_errors(response, "recommendation")
        assert "The engine recommends “refer for identification”" in error
        assert 'id="engine-reasons"' in page
        assert "R2" in error
        assert AuthoredScenario.objects.count() == 0

    def test_an_uncovered_indicator_missing_from_the_model_answer_is_named(
        self, karlis, client_for
    ):
        data = form_data(model_indicators=["DR-01", "CD-01"])

        response = client_for(karlis).post(EDIT, data)

        assert field_errors(response, "model_indicators") == [
            "model_answer.indicators: EX-01 is revealed but not in the model answer"
        ]
        assert AuthoredScenario.objects.count() == 0

    def test_a_question_opened_by_a_question_that_is_not_there_is_named(self, karlis, client_for):
        data = form_data()
        data["questions-3-after"] = "9"

        response = client_for(karlis).post(EDIT, data)

        assert response.context["questions"].forms[3].errors["after"] == [
            "There is no other question no. 9."
        ]
        assert AuthoredScenario.objects.count() == 0

    def test_a_removed_question_is_left_out_and_the_rest_renumbered(
        self, karlis, college, client_for
    ):
        data = form_data()
        data["questions-2-DELETE"] = "on"  # q3 (VD-06.1), which uncovers nothing

        response = client_for(karlis).post(EDIT, data)

        assert response.status_code == 302, response.context["form"].errors
        current = current_scenarios(college)[CONSTRUCTION]
        assert [q.prompt for q in current.questions] == ["DR-01.1", "CD-01.1", "EX-01.1"]
        assert current.question("q1").unlocks == ("q3",)

    def test_more_question_rows_keep_what_was_written_and_save_nothing(self, karlis, client_for):
        data = form_data(title_en="Draft title", action="more")

        response = client_for(karlis).post(EDIT, data)

        page = response.content.decode()
        assert response.status_code == 200
        assert 'value="Draft title"' in page
        assert len(response.context["questions"].forms) == 4 + 3
        assert "This field is required" not in page
        assert AuthoredScenario.objects.count() == 0

    def test_a_new_scenario_cannot_take_an_existing_identifier(self, karlis, client_for):
        response = client_for(karlis).post(NEW, form_data(version=1, id=CONSTRUCTION))

        assert "There is already a scenario" in field_errors(response, "id")[0]


class TestVersions:
    def test_two_trainers_editing_at_once_do_not_overwrite_each_other(
        self, karlis, college, client_for
    ):
        from atpazit.accounts.roles import Role
        from atpazit.accounts.tests.factories import member

        other = member(Role.TRAINER, college, language="en")
        first, second = client_for(karlis), client_for(other)
        assert first.get(EDIT).status_code == second.get(EDIT).status_code == 200

        assert first.post(EDIT, form_data(title_en="First")).status_code == 302
        response = second.post(EDIT, form_data(title_en="Second"))

        assert "This would be version 3" in response.content.decode()
        assert current_scenarios(college)[CONSTRUCTION].title.en == "First"

    def test_an_attempt_keeps_the_version_it_was_taken_on(
        self, karlis, roberts, college, client_for
    ):
        client_for(karlis).post(EDIT, form_data(situation_en="Version two situation."))
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)
        assert attempt.scenario_version == 2

        saved = client_for(karlis).post(
            EDIT, form_data(version=3, situation_en="Version three situation.")
        )
        assert saved.status_code == 302

        page = client_for(roberts).get(reverse("training:attempt", args=[attempt.pk]))
        assert "Version two situation." in page.content.decode()
        assert "Version three situation." not in page.content.decode()
        assert scenario_version(CONSTRUCTION, 2, college).situation.en == "Version two situation."
        newer = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)
        assert newer.scenario_version == 3
        assert Attempt.objects.count() == 2

    def test_an_attempt_keeps_the_trainers_version_when_a_release_ships_the_same_number(
        self, karlis, roberts, college, client_for, monkeypatch
    ):
        client_for(karlis).post(EDIT, form_data(situation_en="Version two situation."))
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)
        assert attempt.authored is not None
        assert attempt.scenario_version == 2

        # A later release ships its own version 2 of the file, with another situation.
        released = shipped().model_copy(update={"version": 2})
        others = [s for s in shipped_scenarios() if s.id != CONSTRUCTION]
        monkeypatch.setattr(
            "atpazit.training.selectors.shipped_scenarios", lambda: (*others, released)
        )

        page = client_for(roberts).get(reverse("training:attempt", args=[attempt.pk]))
        assert "Version two situation." in page.content.decode()
        newer = services.start_attempt(actor=actor_of(roberts), scenario_id=CONSTRUCTION)
        assert newer.authored is None  # the shipped file wins a tie, and is named as such


class TestScopedToTheOrganisation:
    """A scenario a trainer writes belongs to the trainer's organisation (review of issue 13):
    its trainees practise it; another organisation neither sees nor edits it."""

    @pytest.fixture
    def other_trainer(self, other_college):
        from atpazit.accounts.roles import Role
        from atpazit.accounts.tests.factories import member

        return member(Role.TRAINER, other_college, language="en")

    @pytest.fixture
    def port_warehouse(self, karlis, client_for):
        data = form_data(version=1, id="port-warehouse", title_en="The port warehouse")
        assert client_for(karlis).post(NEW, data).status_code == 302
        return "port-warehouse"

    def test_the_own_trainees_practise_it(self, port_warehouse, roberts, client_for):
        page = client_for(roberts).get(reverse("training:library")).content.decode()

        assert "The port warehouse" in page
        attempt = services.start_attempt(actor=actor_of(roberts), scenario_id=port_warehouse)
        assert attempt.scenario_version == 1

    def test_another_organisation_does_not_see_it(
        self, port_warehouse, outsider, other_trainer, client_for
    ):
        library = client_for(outsider).get(reverse("training:library")).content.decode()
        authoring = client_for(other_trainer).get(reverse("training:scenarios")).content.decode()

        assert "The port warehouse" not in library
        assert port_warehouse not in authoring
        with pytest.raises(services.InvalidInput):
            services.start_attempt(actor=actor_of(outsider), scenario_id=port_warehouse)

    def test_another_organisations_trainer_cannot_edit_it(
        self, port_warehouse, other_trainer, client_for
    ):
        url = reverse("training:scenario_edit", args=[port_warehouse])
        client = client_for(other_trainer)

        assert client.get(url).status_code == 404
        assert client.get(url, {"format": "yaml"}).status_code == 404
        assert client.post(url, form_data(version=2, title_en="Taken over")).status_code == 404
        assert AuthoredScenario.objects.filter(scenario_id=port_warehouse).count() == 1

    def test_a_version_of_a_shipped_scenario_changes_it_only_in_the_own_organisation(
        self, karlis, college, other_college, other_trainer, client_for
    ):
        client_for(karlis).post(EDIT, form_data(title_en="The college's own version"))

        assert current_scenarios(college)[CONSTRUCTION].title.en == "The college's own version"
        assert current_scenarios(other_college)[CONSTRUCTION] == shipped()
        page = client_for(other_trainer).get(EDIT).content.decode()
        assert 'name="version" value="2"' in page
        assert "The college&#x27;s own version" not in page
        # The other organisation numbers its own versions: its version 2 is no clash.
        assert client_for(other_trainer).post(EDIT, form_data(title_en="Theirs")).status_code == 302
        assert current_scenarios(other_college)[CONSTRUCTION].title.en == "Theirs"
        assert current_scenarios(college)[CONSTRUCTION].title.en == "The college's own version"

    def test_the_same_identifier_in_two_organisations_keeps_each_ones_attempts_apart(
        self, port_warehouse, roberts, outsider, other_trainer, client_for
    ):
        data = form_data(version=1, id=port_warehouse, title_en="Another port")
        assert client_for(other_trainer).post(NEW, data).status_code == 302
        mine = services.start_attempt(actor=actor_of(roberts), scenario_id=port_warehouse)
        theirs = services.start_attempt(actor=actor_of(outsider), scenario_id=port_warehouse)

        page = client_for(roberts).get(reverse("training:attempt", args=[mine.pk]))
        other_page = client_for(outsider).get(reverse("training:attempt", args=[theirs.pk]))

        assert "The port warehouse" in page.content.decode()
        assert "Another port" in other_page.content.decode()
