"""Every allowed and every forbidden move of a track, generated from models.TRANSITIONS.

Allowed moves go through the service that owns them (the receiver answers and assesses, the
sender withdraws or closes as expired, the assessment and the police outcome decide); each writes
the status, a ReferralTransition row and an audit event. Every other pair is refused and leaves
no trace but the refusal.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import open_deadline
from atpazit.referrals import services
from atpazit.referrals.models import TRANSITIONS, Referral, ReferralTransition
from atpazit.referrals.tests.factories import referral_to, suspicion_in

pytestmark = pytest.mark.django_db

S = Referral.Status
STATUSES = list(S.values)
PAIRS = list(itertools.product(STATUSES, STATUSES))
ALLOWED = [(a, b) for a, b in PAIRS if b in TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a, b in PAIRS if b not in TRANSITIONS[a]]
TRACKS = [Referral.Track.PROVIDER, Referral.Track.POLICE]


def test_the_table_covers_every_status_and_ends_are_final():
    assert set(TRANSITIONS) == set(STATUSES)
    for end in (S.DECLINED, S.EXPIRED, S.RECOGNISED, S.NOT_RECOGNISED, S.WITHDRAWN):
        assert TRANSITIONS[end] == frozenset()


@pytest.fixture
def track_setup(riga, janis, marta, liga, edgars, police, maris):
    def make(track: str, status: str) -> Referral:
        suspicion = suspicion_in(riga, raised_by=janis)
        receiver = marta if track == Referral.Track.PROVIDER else police
        return referral_to(receiver, suspicion=suspicion, status=status)

    people = {
        "sender": janis,
        Referral.Track.PROVIDER: liga,
        Referral.Track.POLICE: maris,
        "commission": edgars,
    }
    return make, people


def _perform(referral: Referral, to_status: str, people: dict) -> None:
    track = referral.track
    receiver = actor_of(people[track])
    if to_status == S.WITHDRAWN:
        services.transition_referral(
            actor=actor_of(people["sender"]),
            referral=referral,
            to_status=to_status,
            reason="Kļūda.",
        )
    elif to_status == S.EXPIRED:
        open_deadline(
            kind=Kind.PROVIDER_RESPONSE
            if track == Referral.Track.PROVIDER
            else Kind.POLICE_RESPONSE,
            subject=referral,
            responsible_organisation=referral.to_organisation,
            starts_at=timezone.now() - dt.timedelta(days=10),
        )
        services.transition_referral(
            actor=actor_of(people["sender"]), referral=referral, to_status=to_status
        )
    elif to_status not in (S.RECOGNISED, S.NOT_RECOGNISED):
        services.transition_referral(
            actor=receiver, referral=referral, to_status=to_status, reason="Nav vietu."
        )
    elif track == Referral.Track.PROVIDER:
        services.record_commission_assessment(
            actor=actor_of(people["commission"]),
            referral=referral,
            assessed_on=timezone.localdate(),
            members_present="Zane (sociālā darbiniece), Aivars (psihologs)",
            result="criteria_met" if to_status == S.RECOGNISED else "criteria_not_met",
            protocol_reference="MARTA-2026/1",
        )
    else:
        services.record_police_outcome(
            actor=receiver,
            referral=referral,
            proceedings="opened" if to_status == S.RECOGNISED else "declined",
            victim_status="recognised" if to_status == S.RECOGNISED else "pending",
            decided_on=timezone.localdate(),
        )


@pytest.mark.parametrize("track", TRACKS)
@pytest.mark.parametrize(
    ("from_status", "to_status"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED]
)
def test_every_allowed_move_is_written_with_a_history_row_and_an_audit_event(
    track_setup, track, from_status, to_status
):
    make, people = track_setup
    referral = make(track, from_status)
    _perform(referral, to_status, people)
    referral.refresh_from_db()
    assert referral.status == to_status
    last = ReferralTransition.objects.filter(referral=referral).last()
    assert (last.from_status, last.to_status) == (from_status, to_status)
    assert last.by is not None
    assert AuditEvent.objects.filter(
        action=f"referral.{to_status}", object_id=str(referral.pk)
    ).exists()


# Recording an outcome on an accepted track is allowed: it passes through "assessment under way",
# so the history holds two allowed moves, never the forbidden one (tested below).
THROUGH_ASSESSING = {(S.ACCEPTED, S.RECOGNISED), (S.ACCEPTED, S.NOT_RECOGNISED)}
REFUSED = [pair for pair in FORBIDDEN if pair not in THROUGH_ASSESSING]


@pytest.mark.parametrize("track", TRACKS)
@pytest.mark.parametrize(
    ("from_status", "to_status"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED]
)
def test_every_forbidden_move_is_refused_and_changes_nothing(
    track_setup, track, from_status, to_status
):
    make, people = track_setup
    referral = make(track, from_status)
    with pytest.raises(services.ServiceError):
        _perform(referral, to_status, people)
    referral.refresh_from_db()
    assert referral.status == from_status
    assert not ReferralTransition.objects.filter(referral=referral).exists()


@pytest.mark.parametrize("track", TRACKS)
@pytest.mark.parametrize(("from_status", "to_status"), sorted(THROUGH_ASSESSING))
def test_an_outcome_on_an_accepted_track_never_writes_a_forbidden_move(
    track_setup, track, from_status, to_status
):
    make, people = track_setup
    referral = make(track, from_status)
    _perform(referral, to_status, people)
    rows = list(
        ReferralTransition.objects.filter(referral=referral).values_list("from_status", "to_status")
    )
    assert rows == [(S.ACCEPTED, S.ASSESSING), (S.ASSESSING, to_status)]
    assert all(to in TRANSITIONS[frm] for frm, to in rows)


def test_recognition_is_reached_only_through_an_assessment_or_police_outcome(track_setup):
    make, people = track_setup
    referral = make(Referral.Track.PROVIDER, S.ASSESSING)
    with pytest.raises(services.InvalidTransition):
        services.transition_referral(
            actor=actor_of(people["commission"]), referral=referral, to_status=S.RECOGNISED
        )


def test_only_the_receiving_organisation_answers(track_setup, anna, janis):
    make, _people = track_setup
    referral = make(Referral.Track.PROVIDER, S.SENT)
    for outsider in (anna, janis):  # another provider; the sender
        with pytest.raises(services.NotAllowed):
            services.transition_referral(
                actor=actor_of(outsider), referral=referral, to_status=S.ACCEPTED
            )
    assert Referral.objects.get(pk=referral.pk).status == S.SENT


def test_only_the_sender_withdraws(track_setup, liga, gunars):
    make, _people = track_setup
    referral = make(Referral.Track.PROVIDER, S.ACCEPTED)
    for outsider in (liga, gunars):  # the receiver; another Border Guard unit
        with pytest.raises(services.NotAllowed):
            services.transition_referral(
                actor=actor_of(outsider), referral=referral, to_status=S.WITHDRAWN, reason="x"
            )


def test_declining_and_withdrawing_need_a_reason(track_setup):
    make, people = track_setup
    referral = make(Referral.Track.PROVIDER, S.SENT)
    with pytest.raises(services.InvalidInput) as declined:
        services.transition_referral(
            actor=actor_of(people[Referral.Track.PROVIDER]), referral=referral, to_status=S.DECLINED
        )
    assert "reason" in declined.value.errors
    with pytest.raises(services.InvalidInput):
        services.transition_referral(
            actor=actor_of(people["sender"]), referral=referral, to_status=S.WITHDRAWN, reason="  "
        )


def test_an_unanswered_referral_expires_only_after_its_deadline(track_setup):
    make, people = track_setup
    referral = make(Referral.Track.PROVIDER, S.SENT)
    open_deadline(
        kind=Kind.PROVIDER_RESPONSE,
        subject=referral,
        responsible_organisation=referral.to_organisation,
    )
    with pytest.raises(services.InvalidTransition):
        services.transition_referral(
            actor=actor_of(people["sender"]), referral=referral, to_status=S.EXPIRED
        )


def test_a_stale_page_is_refused_not_overwritten(track_setup):
    make, people = track_setup
    referral = make(Referral.Track.PROVIDER, S.SENT)
    shown = referral.version
    caseworker = actor_of(people[Referral.Track.PROVIDER])
    services.transition_referral(
        actor=caseworker, referral=referral, to_status=S.ACCEPTED, version=shown
    )
    with pytest.raises(services.ConcurrentEdit):
        services.transition_referral(
            actor=caseworker, referral=referral, to_status=S.DECLINED, reason="x", version=shown
        )
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED
