"""The training demo (review of issue 13): the demo trainee's course and certificate, and a
cohort of synthetic trainees for the demo trainer; idempotent, invented, no case data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts import demo as accounts_demo
from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, User
from atpazit.cases.models import Person
from atpazit.lib.registry import DEMO_LOADERS
from atpazit.screening.models import ScreeningSession
from atpazit.training import demo
from atpazit.training.models import Attempt, Certificate
from atpazit.training.selectors import cohort_of, progress_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    accounts_demo.load()
    return demo.load()


def actor(username: str) -> Actor:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username
    )
    return Actor(user=membership.user, membership=membership)


def test_the_demo_trainee_has_passed_the_course_and_holds_a_certificate(loaded, client_for):
    trainee = actor(demo.TRAINEE)

    progress = progress_of(trainee.user, trainee.organisation)

    assert progress.completed
    assert progress.certificate is not None
    assert sorted(m.score for m in progress.modules)[0] < 100  # one slip, still passed
    assert Attempt.objects.filter(trainee=trainee.user, completed_at__isnull=True).count() == 1
    page = client_for(trainee.user).get(reverse("training:progress")).content.decode()
    assert progress.certificate.number in page


def test_the_demo_trainer_sees_a_cohort_and_what_it_misses(loaded, client_for):
    trainer = actor("koledza.pasniedzejs")

    cohort = cohort_of(trainer)

    assert len(cohort.trainees) == 1 + len(demo.COHORT)
    assert cohort.missed[0][0] == "EX-01"
    assert {code for code, _count in cohort.missed} >= {"EX-01", "CD-01", "DR-01"}
    page = client_for(trainer.user).get(reverse("training:cohort")).content.decode()
    assert "Anna Kalniņa" in page
    assert "EX-01" in page


def test_the_synthetic_trainees_cannot_sign_in_and_no_case_data_is_made(loaded):
    synthetic = User.objects.filter(username__in=[row[0] for row in demo.COHORT])

    assert synthetic.count() == len(demo.COHORT)
    assert not any(user.has_usable_password() for user in synthetic)
    assert Person.objects.count() == 0
    assert ScreeningSession.objects.count() == 0


def test_running_it_again_adds_nothing(loaded):
    attempts = Attempt.objects.count()

    assert demo.load() == ["training: demo course progress and cohort already present"]
    assert Attempt.objects.count() == attempts
    assert Certificate.objects.count() == 1


def test_it_is_registered_after_the_accounts_demo():
    loaders = {path: position for position, path in DEMO_LOADERS}

    assert loaders["atpazit.training.demo.load"] > loaders["atpazit.accounts.demo.load"]
