"""Progress, scores per module and the completion certificate (PDF text read with pdftotext)."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.lib.errors import ServiceError
from atpazit.screening.services import ObservationInput, ProfileInput
from atpazit.training import services
from atpazit.training.course import get_course
from atpazit.training.models import Certificate
from atpazit.training.selectors import current_scenarios, progress_of

pytestmark = pytest.mark.django_db


def complete_as_the_model(actor, module: str, scenario_id: str, *, decision: str | None = None):
    """A completed attempt answering exactly as the model answer does (or another decision)."""
    scenario = current_scenarios(actor.organisation)[scenario_id]
    attempt = services.start_attempt(actor=actor, scenario_id=scenario_id, module=module)
    return services.complete_attempt(
        actor=actor,
        attempt=attempt,
        observations=[ObservationInput(code) for code in scenario.model_answer.indicators],
        profile=ProfileInput(scenario.form.value),
        decision=decision or scenario.model_answer.decision.value,
        reason="As the model answer.",
        values={},
        version=attempt.version,
    )


def complete_the_course(user) -> None:
    actor = actor_of(user)
    for module in get_course().modules:
        for scenario_id in module.scenarios:
            complete_as_the_model(actor, module.code, scenario_id)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


class TestProgress:
    def test_a_module_is_passed_when_every_scenario_is_done_well_enough(self, roberts):
        actor = actor_of(roberts)
        complete_as_the_model(actor, "consent", "labour-debt-consent-refused")

        halfway = {
            m.module.code: m for m in progress_of(roberts, actor_of(roberts).organisation).modules
        }["consent"]
        assert (halfway.done, halfway.score, halfway.passed) == (1, 50, False)

        complete_as_the_model(actor, "consent", "already-referred-predeparture")
        done = {
            m.module.code: m for m in progress_of(roberts, actor_of(roberts).organisation).modules
        }["consent"]
        assert (done.done, done.score, done.passed) == (2, 100, True)

    def test_the_best_attempt_counts_and_free_practice_does_not(self, roberts):
        actor = actor_of(roberts)
        complete_as_the_model(actor, "consent", "labour-debt-consent-refused", decision="no_action")
        complete_as_the_model(actor, "consent", "labour-debt-consent-refused")
        complete_as_the_model(actor, "", "already-referred-predeparture")

        consent = {
            m.module.code: m for m in progress_of(roberts, actor_of(roberts).organisation).modules
        }["consent"]
        assert (consent.done, consent.score) == (1, 50)

    def test_a_trainee_sees_only_their_own_progress(self, roberts, elina, client_for):
        complete_as_the_model(actor_of(roberts), "consent", "labour-debt-consent-refused")

        page = client_for(elina).get(reverse("training:progress")).content.decode()

        assert "<td>1 / 2</td>" not in page
        assert "<td>0 / 2</td>" in page


class TestCertificate:
    def test_it_is_refused_before_every_module_is_passed(self, roberts):
        with pytest.raises(ServiceError):
            services.issue_certificate(actor=actor_of(roberts))
        assert Certificate.objects.count() == 0

    def test_the_certificate_in_latvian_and_english(self, roberts, client_for, tmp_path):
        complete_the_course(roberts)
        client = client_for(roberts)

        client.post(reverse("training:certificate_issue"))
        certificate = Certificate.objects.get(trainee=roberts)
        latvian = client.get(reverse("training:certificate_pdf") + "?lang=lv")
        english = client.get(reverse("training:certificate_pdf") + "?lang=en")

        assert latvian["Content-Type"] == "application/pdf"
        text = " ".join(pdf_text(latvian.content, tmp_path).split())
        assert "Apliecība par kursa beigšanu" in text
        assert "Roberts Sproģis" in text
        assert "Cilvēktirdzniecības upuru atpazīšana atgriešanas un patvēruma procedūrās" in text
        assert "Nesodīšanas princips 100 / 100" in text
        assert certificate.number in text
        text = " ".join(pdf_text(english.content, tmp_path).split())
        assert "Certificate of completion" in text
        assert "Identification of trafficking victims in return and asylum procedures" in text
        assert "Children 100 / 100" in text

    def test_it_is_issued_once(self, roberts):
        complete_the_course(roberts)

        first = services.issue_certificate(actor=actor_of(roberts))
        again = services.issue_certificate(actor=actor_of(roberts))

        assert first.pk == again.pk
        assert first.number.startswith("AT-MAC-")

    def test_without_a_certificate_the_download_goes_back_to_progress(self, roberts, client_for):
        response = client_for(roberts).get(reverse("training:certificate_pdf"))

        assert response.url == reverse("training:progress")
