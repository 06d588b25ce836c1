"""The hold line says what keeps the removal hold in force now (issue 11 §6).

"No removal while identification is pending" was shown on the referral page and the child page
for as long as the hold lasted, also after the commission had recognised the person. After
identification the hold stays for a reflection period, until a residence permit or return
decision, or until a release decision; the line says which, derived from the state.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.aftercare.tests.factories import ReturnDecisionFactory
from atpazit.referrals import services
from atpazit.referrals.holdline import hold_line
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.tests.factories import (
    ConsentRefusedFactory,
    PoliceDeclinedReferralFactory,
    SuspicionFactory,
)
from atpazit.reflection.tests.factories import ReflectionPeriodFactory

pytestmark = pytest.mark.django_db


def line_of(suspicion: Suspicion) -> tuple[str, str]:
    line = hold_line(suspicion, services.identification_status(suspicion))
    return line.code, line.text


class TestWhatHoldsNow:
    def test_while_a_track_is_assessed_identification_is_pending(self, cast):
        case = cast(recognised=False)

        assert line_of(case.suspicion) == ("pending", "no removal while identification is pending")

    def test_a_recognised_victim_is_held_until_residence_or_return(self, cast):
        case = cast()

        code, text = line_of(case.suspicion)

        assert code == "residence"
        assert "identification is pending" not in text
        assert "residence permit" in text

    def test_a_running_reflection_period_is_named_with_its_last_day(self, cast):
        case = cast()
        period = ReflectionPeriodFactory(suspicion=case.suspicion, recorded_by=case.ilze)

        code, text = line_of(case.suspicion)

        assert code == "reflection"
        assert formats.date_format(period.ends_on, "SHORT_DATE_FORMAT") in text

    def test_a_reflection_period_that_ended_no_longer_holds(self, cast):
        case = cast()
        ReflectionPeriodFactory(
            suspicion=case.suspicion,
            recorded_by=case.ilze,
            starts_on=timezone.localdate() - dt.timedelta(days=40),
            ends_on=timezone.localdate() - dt.timedelta(days=10),
        )

        assert line_of(case.suspicion)[0] == "residence"

    def test_after_a_return_decision_only_the_release_decision_is_missing(self, cast):
        case = cast()
        ReturnDecisionFactory(suspicion=case.suspicion, recorded_by=case.ilze)

        assert line_of(case.suspicion)[0] == "awaiting_release"

    def test_a_negative_outcome_awaits_the_release_decision(self):
        suspicion = SuspicionFactory()
        PoliceDeclinedReferralFactory(suspicion=suspicion)

        code, text = line_of(suspicion)

        assert code == "awaiting_release"
        assert "identification has ended" in text

    def test_an_adult_who_refused_referral_waits_for_two_case_officers(self):
        suspicion = SuspicionFactory()
        ConsentRefusedFactory(suspicion=suspicion)

        assert line_of(suspicion)[0] == "refused"

    def test_a_released_hold_says_so(self):
        suspicion = SuspicionFactory()
        suspicion.hold.released_at = timezone.now()
        suspicion.hold.save()

        assert line_of(suspicion) == ("released", "released")


class TestPages:
    def test_the_providers_referral_page_no_longer_says_pending_after_recognition(
        self, cast, client_for
    ):
        case = cast()
        ReflectionPeriodFactory(suspicion=case.suspicion, recorded_by=case.ilze)

        page = client_for(case.liga).get(
            reverse("referrals:referral_detail", args=[case.provider_track.pk])
        )

        text = page.content.decode()
        assert 'data-hold="reflection"' in text
        assert "while identification is pending" not in text
        assert "no removal during the reflection period" in text

    def test_the_police_do_not_learn_the_providers_outcome_from_the_hold_line(
        self, cast, client_for
    ):
        case = cast()  # MARTA recognised Dilshod; the police track is only accepted
        police_track = case.suspicion.referrals.get(to_organisation=case.police)

        page = client_for(case.maris).get(
            reverse("referrals:referral_detail", args=[police_track.pk])
        )

        text = page.content.decode()
        assert 'data-hold="pending"' in text
        assert "recognised as a victim" not in text

    def test_a_provider_whose_track_ended_does_not_learn_of_the_police_track(
        self, cast, client_for
    ):
        case = cast(recognised=False)
        Referral.objects.filter(pk=case.provider_track.pk).update(
            status=Referral.Status.NOT_RECOGNISED
        )

        page = client_for(case.liga).get(
            reverse("referrals:referral_detail", args=[case.provider_track.pk])
        )

        text = page.content.decode()
        assert 'data-hold="awaiting_release"' in text
        assert "while identification is pending" not in text

    def test_the_child_page_of_the_orphans_court_says_what_holds(self, cast, client_for):
        case = cast(child=True)
        court = OrganisationFactory(type=OrganisationType.ORPHANS_COURT)
        Suspicion.objects.filter(pk=case.suspicion.pk).update(orphans_court=court)
        officer = member("child_protection_officer", court, language="en")

        page = client_for(officer).get(reverse("referrals:child_detail", args=[case.suspicion.pk]))

        text = page.content.decode()
        assert 'data-hold="residence"' in text
        assert "while identification is pending" not in text
