"""A screening made with the shipped release 2026.1, before rules R2 widened and R7, still
displays exactly what was computed then (DESIGN.md §5), although the same answers get other
advice today. The stored JSON in data/ was produced by the engine as it was before issue 9."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.screening import selectors
from atpazit.screening.catalogue import get_catalogue
from atpazit.screening.engine import (
    EvidenceSource,
    Observation,
    PersonFacts,
    Recommendation,
    evaluate,
)
from atpazit.screening.models import ScreeningObservation, ScreeningSession

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STORED = json.loads(
    (Path(__file__).parent / "data" / "assessment-2026.1-handover.json").read_text("utf-8")
)


@pytest.fixture
def decided_before_issue_9(janis, detainee):
    session = ScreeningSession.objects.create(
        person=detainee,
        screener=janis,
        organisation=janis.memberships.first().organisation,
        stage="handover",
        interview_language="ru",
        prompt_language="ru",
        officer_language="en",
        age_group="adult",
        exploitation_form="labour",
        person_age=30,
        catalogue_version="2026.1",
        assessment=copy.deepcopy(STORED),
        recommendation=STORED["recommendation"],
        decision="rescreen_next_stage",
        decision_reason="Re-screen later.",
        decided_by=janis,
        completed_at=timezone.now(),
    )
    for code in STORED["indicators"]:
        ScreeningObservation.objects.create(
            session=session, indicator=code, source="said_by_person", stage="handover"
        )
    return session


def test_today_the_same_answers_would_refer(decided_before_issue_9):
    observations = [
        Observation(code, EvidenceSource.SAID_BY_PERSON, decided_before_issue_9.stage)
        for code in STORED["indicators"]
    ]
    today = evaluate(
        get_catalogue("2026.1"),
        selectors.stored_assessment(decided_before_issue_9).profile,
        observations,
        PersonFacts(age=30),
    )

    assert STORED["recommendation"] == "rescreen_next_stage"
    assert today.recommendation is Recommendation.INTERVIEW_BEFORE_DEPARTURE


def test_the_old_screening_keeps_its_stored_advice(decided_before_issue_9):
    decided_before_issue_9.refresh_from_db()
    assessment = selectors.stored_assessment(decided_before_issue_9)

    assert decided_before_issue_9.assessment == STORED
    assert assessment.recommendation is Recommendation.RESCREEN_NEXT_STAGE
    assert assessment.fired_rules == ("R5",)
    assert assessment.stage is None  # not recorded before release 2026.2


def test_the_old_screening_page_shows_what_was_computed(decided_before_issue_9, client_for, ilze):
    response = client_for(ilze).get(
        reverse("screening:session_detail", args=[decided_before_issue_9.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "re-screen at the next stage, with a closer interview" in page
    assert "interview now, before departure" not in page
    assert "computed with catalogue 2026.1" in page
