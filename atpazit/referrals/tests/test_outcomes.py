"""The commission's assessment, the police outcome, and the identification status derived from
the tracks (never stored). A police refusal never closes the provider track (D6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import Referral
from atpazit.referrals.services import IdentificationStatus
from atpazit.referrals.tests.factories import (
    AcceptedReferralFactory,
    AssessingReferralFactory,
    PoliceReferralFactory,
    ReferralFactory,
    SuspicionFactory,
    suspicion_in,
)

pytestmark = pytest.mark.django_db
S = Referral.Status


def commission(user, referral, **overrides):
    values = {
        "assessed_on": timezone.localdate(),
        "members_present": "Zane Ozola (sociālā darbiniece), Aivars Liepa (psihologs), Māra Kalna (juriste)",
        "result": "criteria_met",
        "protocol_reference": "MARTA-2026/14",
        "notes": "Konfidenciālas komisijas piezīmes.",
    }
    return services.record_commission_assessment(
        actor=actor_of(user), referral=referral, **(values | overrides)
    )


def police_outcome(user, referral, **overrides):
    values = {
        "proceedings": "opened",
        "victim_status": "pending",
        "decided_on": timezone.localdate(),
    }
    return services.record_police_outcome(
        actor=actor_of(user), referral=referral, **(values | overrides)
    )


class TestCommission:
    def test_criteria_met_recognises_and_tells_the_sender_and_the_unit(
        self, riga, janis, edgars, marta
    ):
        referral = AssessingReferralFactory(
            suspicion=suspicion_in(riga, raised_by=janis), to_organisation=marta
        )
        assessment = commission(edgars, referral)
        referral.refresh_from_db()
        assert referral.status == S.RECOGNISED
        assert assessment.protocol_reference == "MARTA-2026/14"
        assert Notification.objects.filter(kind="identification.decided", recipient=janis).exists()

    def test_criteria_not_met_does_not_recognise(self, riga, edgars, marta):
        referral = AssessingReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        commission(edgars, referral, result="criteria_not_met")
        referral.refresh_from_db()
        assert referral.status == S.NOT_RECOGNISED

    def test_each_missing_field_is_named_and_nothing_is_saved(self, riga, edgars, marta):
        referral = AssessingReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        with pytest.raises(services.InvalidInput) as refused:
            commission(
                edgars,
                referral,
                members_present=" ",
                protocol_reference="",
                assessed_on=timezone.localdate() + dt.timedelta(days=2),
            )
        assert set(refused.value.errors) == {"members_present", "protocol_reference", "assessed_on"}
        referral.refresh_from_db()
        assert referral.status == S.ASSESSING

    def test_another_provider_cannot_record_it(self, riga, anna, marta):
        referral = AssessingReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        with pytest.raises(services.NotAllowed):
            commission(anna, referral)

    def test_a_sent_referral_must_be_accepted_first(self, riga, edgars, marta):
        referral = ReferralFactory(suspicion=suspicion_in(riga), to_organisation=marta)
        with pytest.raises(services.InvalidTransition):
            commission(edgars, referral)


class TestPoliceTrack:
    def test_proceedings_opened_keeps_the_track_under_examination(self, riga, maris, police):
        referral = AcceptedReferralFactory(
            suspicion=suspicion_in(riga), to_organisation=police, track="police"
        )
        police_outcome(maris, referral)
        referral.refresh_from_db()
        assert referral.status == S.ASSESSING

    def test_victim_status_recognises(self, riga, maris, police):
        referral = AssessingReferralFactory(
            suspicion=suspicion_in(riga), to_organisation=police, track="police"
        )
        police_outcome(
            maris, referral, victim_status="recognised", proceedings_reference="11816001234"
        )
        referral.refresh_from_db()
        assert referral.status == S.RECOGNISED

    def test_victim_status_needs_opened_proceedings(self, riga, maris, police):
        referral = AssessingReferralFactory(
            suspicion=suspicion_in(riga), to_organisation=police, track="police"
        )
        with pytest.raises(services.InvalidInput) as refused:
            police_outcome(maris, referral, proceedings="declined", victim_status="recognised")
        assert "victim_status" in refused.value.errors

    def test_a_police_refusal_never_closes_the_provider_track(
        self, riga, janis, maris, liga, edgars, police, marta
    ):
        suspicion = suspicion_in(riga, raised_by=janis)
        provider = ReferralFactory(suspicion=suspicion, to_organisation=marta)
        police_track = AssessingReferralFactory(
            suspicion=suspicion, to_organisation=police, track="police"
        )
        police_outcome(maris, police_track, proceedings="declined")
        police_track.refresh_from_db()
        provider.refresh_from_db()
        assert (police_track.status, provider.status) == (S.NOT_RECOGNISED, S.SENT)
        assert services.identification_status(suspicion).code == IdentificationStatus.PENDING
        # ... and the provider's commission can still recognise the person.
        services.transition_referral(actor=actor_of(liga), referral=provider, to_status=S.ACCEPTED)
        commission(edgars, provider)
        status = services.identification_status(suspicion)
        assert (status.code, status.routes) == (IdentificationStatus.IDENTIFIED, ("provider",))


@pytest.mark.parametrize(
    ("tracks", "code", "routes"),
    [
        ([], "pending", ()),
        ([("provider", S.SENT)], "pending", ()),
        ([("provider", S.ASSESSING), ("police", S.NOT_RECOGNISED)], "pending", ()),
        ([("provider", S.DECLINED)], "no_outcome", ()),
        ([("provider", S.WITHDRAWN), ("police", S.EXPIRED)], "no_outcome", ()),
        ([("provider", S.EXPIRED), ("police", S.NOT_RECOGNISED)], "not_identified", ()),
        ([("provider", S.WITHDRAWN), ("provider", S.NOT_RECOGNISED)], "not_identified", ()),
        ([("provider", S.RECOGNISED), ("police", S.NOT_RECOGNISED)], "identified", ("provider",)),
        ([("provider", S.NOT_RECOGNISED), ("police", S.RECOGNISED)], "identified", ("police",)),
        (
            [("provider", S.RECOGNISED), ("police", S.RECOGNISED)],
            "identified",
            ("police", "provider"),
        ),
        ([("provider", S.RECOGNISED), ("police", S.SENT)], "identified", ("provider",)),
    ],
)
def test_the_identification_status_is_derived_from_the_tracks(tracks, code, routes):
    suspicion = SuspicionFactory()
    for track, status in tracks:
        factory = PoliceReferralFactory if track == "police" else ReferralFactory
        factory(suspicion=suspicion, status=status)
    status = services.identification_status(suspicion)
    assert (status.code, status.routes, status.referred) == (code, routes, bool(tracks))
    assert str(status.label)
