"""The trainer's side: cohort results with the most often missed indicators, and authoring a
scenario as a new version validated by the library's schema and the engine."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.training import services
from atpazit.training.library import SCENARIO_DIR
from atpazit.training.models import AuthoredScenario
from atpazit.training.selectors import cohort_of, current_scenarios
from atpazit.training.tests.factories import CompletedAttemptFactory

pytestmark = pytest.mark.django_db


def scenario_text(**changes) -> str:
    raw = yaml.safe_load((SCENARIO_DIR / "labour-construction-intake.yaml").read_text("utf-8"))
    raw.update(changes)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


class TestCohort:
    def test_the_trainer_sees_the_trainees_of_the_college_and_what_they_miss(
        self, karlis, roberts, elina, outsider, college, other_college, client_for
    ):
        CompletedAttemptFactory(trainee=roberts, organisation=college, missed=["EX-01"])
        CompletedAttemptFactory(trainee=elina, organisation=college, missed=["EX-01", "CD-01"])
        CompletedAttemptFactory(trainee=outsider, organisation=other_college, missed=["RC-09"])

        cohort = cohort_of(actor_of(karlis))
        page = client_for(karlis).get(reverse("training:cohort")).content.decode()

        assert [row.user for row in cohort.trainees] == [elina, roberts]
        assert cohort.missed == [("EX-01", 2), ("CD-01", 1)]
        assert "Roberts Sproģis" in page
        assert "Pēteris" not in page
        assert "RC-09" not in page
        assert AuditEvent.objects.filter(action="training_cohort.listed").count() == 1

    def test_a_trainee_cannot_see_the_cohort(self, roberts, client_for):
        assert client_for(roberts).get(reverse("training:cohort")).status_code == 403


class TestAuthoringAsYaml:
    """The advanced way: the scenario as YAML, in the format of the shipped files."""

    def test_a_trainer_writes_the_next_version_which_is_practised_from_then_on(
        self, karlis, client_for
    ):
        client = client_for(karlis)
        url = reverse("training:scenario_edit", args=["labour-construction-intake"])
        page = client.get(url, {"format": "yaml"})
        assert "version: 2" in page.content.decode()

        title = {
            "lv": "Noliktava, kas izrādījās būvlaukums",
            "en": "The warehouse that was a building site",
            "ru": "Склад, оказавшийся стройкой",
        }
        response = client.post(url, {"text": scenario_text(version=2, title=title)})

        assert response.url == reverse("training:scenarios")
        stored = AuthoredScenario.objects.get()
        assert (stored.scenario_id, stored.version, stored.author) == (
            "labour-construction-intake",
            2,
            karlis,
        )
        assert (
            current_scenarios(actor_of(karlis).organisation)["labour-construction-intake"].title.en
            == title["en"]
        )

    def test_a_new_scenario_is_validated_by_the_same_schema(self, karlis, client_for):
        raw = yaml.safe_load(scenario_text(id="new-case", version=1))
        raw["questions"][0]["prompt"] = "XX-01.1"
        del raw["title"]["lv"]

        response = client_for(karlis).post(
            reverse("training:scenario_new"), {"text": yaml.safe_dump(raw, allow_unicode=True)}
        )

        page = response.content.decode()
        assert response.status_code == 200
        assert "title.lv: Field required" in page
        assert AuthoredScenario.objects.count() == 0

    def test_a_model_answer_the_engine_disagrees_with_is_refused(self, karlis):
        raw = yaml.safe_load(scenario_text(id="wrong-answer", version=1))
        raw["model_answer"]["recommendation"] = "no_action"
        raw["model_answer"]["decision"] = "no_action"

        with pytest.raises(services.InvalidInput) as refused:
            services.author_scenario(actor=actor_of(karlis), data=raw)

        assert "The engine recommends “refer for identification”" in str(
            refused.value.errors["model_answer.recommendation"]
        )

    def test_a_version_must_follow_the_newest(self, karlis):
        with pytest.raises(services.InvalidInput, match="would be version 2"):
            services.author_scenario(
                actor=actor_of(karlis), data=yaml.safe_load(scenario_text(version=5))
            )

    def test_a_trainee_cannot_author(self, roberts, client_for):
        response = client_for(roberts).post(reverse("training:scenario_new"), {"text": "id: x"})

        assert response.status_code == 403
        assert AuthoredScenario.objects.count() == 0
