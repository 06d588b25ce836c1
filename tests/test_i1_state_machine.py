"""Invariant I1 as a stateful property: the hold follows the human, not the record.

Hypothesis drives the real services in random order — registrations of new people and of the
same people again (other letter case, hidden characters, names swapped, another script, another
unit), manual holds, suspicions with both referral tracks, referrals withdrawn by the sender,
negative outcomes, release attempts, manifests edited by hand and by CSV import, operations
confirmed and completed — and after every step checks, against the ground truth it generated
(which records are the same human), that nobody with an active hold on any of their records has
left: no such human is departed, on a completed operation, or was on an operation when it was
confirmed.

Each example runs inside a savepoint that is rolled back, so examples do not see each other. The
default profile is quick enough for every CI run; ``ATPAZIT_I1_EXAMPLES`` and
``ATPAZIT_I1_STEPS`` make a long run (see the session notes for the last long run's figures).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.cases import services as cases
from atpazit.cases.holds import RemovalBlocked
from atpazit.cases.models import Hold, IdentityDecision, Person
from atpazit.lib.errors import ServiceError
from atpazit.referrals import services as referrals
from atpazit.referrals.models import NEGATIVE_END_STATUSES, Referral, Suspicion
from atpazit.removals import services as removals
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.tests.factories import PlannedOperationFactory
from atpazit.screening import services as screening
from atpazit.screening.models import ScreeningSession

pytestmark = pytest.mark.django_db(transaction=False)
END_STATUSES = NEGATIVE_END_STATUSES | {Referral.Status.RECOGNISED}

EXAMPLES = int(os.environ.get("ATPAZIT_I1_EXAMPLES", "100"))
STEPS = int(os.environ.get("ATPAZIT_I1_STEPS", "50"))
# Exploring by hand: ATPAZIT_I1_NO_SHRINK=1 reports the first counterexample as found.
PHASES = [p for p in Phase if not (os.environ.get("ATPAZIT_I1_NO_SHRINK") and p is Phase.shrink)]
# The suite runs one fixed sequence of examples, so the coverage milestones below hold on every
# run (with random draws a completed operation was reached in about 2 of 100 examples, and a
# run that reached none failed by chance). ATPAZIT_I1_RANDOM=1 explores new sequences instead.
DERANDOMIZE = not os.environ.get("ATPAZIT_I1_RANDOM")

# Invented people. Each has spellings an officer may type for the same human.
HUMANS = [
    {
        "names": ("Dilshod", "Rakhimov"),
        "cyrillic": ("Дилшод", "Рахимов"),
        "birth_year": 1994,
        "sex": "male",
        "nationality": "UZ",
    },
    {
        "names": ("Anna", "Petrova"),
        "cyrillic": ("Анна", "Петрова"),
        "birth_year": 1999,
        "sex": "female",
        "nationality": "UA",
    },
    {
        "names": ("Thi Lan", "Nguyễn"),
        "cyrillic": None,
        "birth_year": 2001,
        "sex": "female",
        "nationality": "VN",
    },
]
VARIANTS = ["same", "upper", "zero_width", "swapped", "cyrillic", "no_diacritics"]
# Refusals are expected (that is the point); anything else is a bug and fails the test.
DOMAIN_ERRORS = (ServiceError, RemovalBlocked)


def spelling(human: dict, variant: str) -> tuple[str, str]:
    given, family = human["names"]
    if variant == "upper":
        return given.upper(), family.upper()
    if variant == "zero_width":
        return given, family[:2] + "\u200b" + family[2:]
    if variant == "swapped":
        return family, given
    if variant == "cyrillic" and human["cyrillic"]:
        return human["cyrillic"]
    if variant == "no_diacritics":
        return given, family.replace("ễ", "e")
    return given, family


@dataclass
class Record:
    person_id: int
    human: int
    unit: str


@dataclass
class World:
    units: dict[str, Organisation] = field(default_factory=dict)
    officers: dict[str, list[Actor]] = field(default_factory=dict)
    provider: Organisation | None = None
    police: Organisation | None = None


def actor(user: User) -> Actor:
    return Actor(user=user, membership=user.memberships.select_related("organisation").get())


# What the run reached, across examples: the test fails if the machine never got a duplicate
# onto a manifest, never confirmed or completed an operation — a run that explores nothing
# proves nothing.
REACHED: Counter[str] = Counter()


class HoldFollowsTheHuman(RuleBasedStateMachine):
    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.world = World()
        for unit in ("riga", "daugavpils"):
            org = OrganisationFactory(name=f"VRS {unit} (I1)", type=OrganisationType.BORDER_GUARD)
            self.world.units[unit] = org
            self.world.officers[unit] = [
                actor(member("bg_case_officer", org, language="en")) for _ in range(2)
            ]
        OrganisationFactory(name="Tiesībsarga birojs (I1)", type=OrganisationType.OMBUDSMAN)
        self.world.provider = OrganisationFactory(
            name="Centrs MARTA (I1)", type=OrganisationType.SERVICE_PROVIDER
        )
        self.world.police = OrganisationFactory(
            name="Valsts policija (I1)", type=OrganisationType.POLICE
        )
        self.commission = actor(member("commission_member", self.world.provider, language="en"))
        self.investigator = actor(member("investigator", self.world.police, language="en"))
        self.all_records: list[Record] = []
        self.departed_while_held: list[str] = []
        self.current_operation: dict[str, RemovalOperation] = {}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers ----------------------------------------------------------------------------

    def officer(self, unit: str, which: int = 0) -> Actor:
        return self.world.officers[unit][which]

    def person(self, record: Record) -> Person:
        return Person.objects.get(pk=record.person_id)

    def records_of_human(self, human: int) -> list[int]:
        return [r.person_id for r in self.all_records if r.human == human]

    def human_of(self, person_id: int) -> int:
        return next(r.human for r in self.all_records if r.person_id == person_id)

    def human_is_held(self, human: int) -> bool:
        return Hold.objects.filter(
            person_id__in=self.records_of_human(human), released_at__isnull=True
        ).exists()

    def held_humans_on(self, operation_id: int) -> list[int]:
        on_it = ManifestEntry.objects.filter(operation_id=operation_id).values_list(
            "person_id", flat=True
        )
        return sorted({self.human_of(pk) for pk in on_it if self.human_is_held(self.human_of(pk))})

    def human_has_left(self, human: int) -> bool:
        return Person.objects.filter(
            pk__in=self.records_of_human(human), status=Person.Status.DEPARTED
        ).exists()

    def open_suspicion(self, record: Record) -> Suspicion | None:
        return Suspicion.objects.filter(person_id=record.person_id, closed_at__isnull=True).first()

    # --- registrations ----------------------------------------------------------------------

    @rule(
        target=records,
        human=st.integers(0, len(HUMANS) - 1),
        unit=st.sampled_from(["riga", "daugavpils"]),
        variant=st.sampled_from(VARIANTS),
    )
    def register(self, human: int, unit: str, variant: str) -> Record:
        facts = HUMANS[human]
        given, family = spelling(facts, variant)
        data = {
            "given_names": given,
            "family_name": family,
            "birth_year": facts["birth_year"],
            "sex": facts["sex"],
            "nationality": facts["nationality"],
            "languages": ["ru"],
            "return_decision_type": "forced_removal",
            "return_decision_reference": "RS-2026/I1",
            "return_decision_date": timezone.localdate() - dt.timedelta(days=5),
        }
        person = cases.register_person(actor=self.officer(unit), data=data)
        record = Record(person_id=person.pk, human=human, unit=unit)
        if any(r.human == human for r in self.all_records):
            REACHED["duplicate registered"] += 1
        self.all_records.append(record)
        return record

    @rule(record=records, other=records)
    def officer_links_the_same_human(self, record: Record, other: Record) -> None:
        if record.human != other.human or record.person_id == other.person_id:
            return
        with contextlib.suppress(*DOMAIN_ERRORS):
            cases.decide_identity(
                actor=self.officer(record.unit),
                person=self.person(record),
                other=self.person(other),
                decision=IdentityDecision.Decision.SAME,
                reason="Tas pats cilvēks: sakrīt dzimšanas gads un pilsonība.",
            )

    @rule(record=records, other=records)
    def officer_tells_different_humans_apart(self, record: Record, other: Record) -> None:
        if record.human == other.human:
            return
        with contextlib.suppress(*DOMAIN_ERRORS):
            cases.decide_identity(
                actor=self.officer(record.unit),
                person=self.person(record),
                other=self.person(other),
                decision=IdentityDecision.Decision.DIFFERENT,
                reason="Atšķiras dzimšanas gads un pilsonība.",
            )

    # --- holds and the identification workflow ----------------------------------------------

    @rule(record=records, reason=st.sampled_from(["Aizdomas no uzraudzības.", "Jāpārbauda."]))
    def manual_hold(self, record: Record, reason: str) -> None:
        if self.human_has_left(record.human):
            return
        cases.place_hold(actor=self.officer(record.unit), person=self.person(record), reason=reason)

    @rule(record=records)
    def raise_suspicion_and_refer(self, record: Record) -> None:
        if self.human_has_left(record.human) or self.open_suspicion(record):
            return
        officer = self.officer(record.unit)
        suspicion = referrals.raise_suspicion(
            actor=officer, person=self.person(record), reason="Darba devējs paturēja pasi."
        )
        referrals.record_consent(
            actor=officer,
            suspicion=suspicion,
            decision="given",
            scope="both",
            language="ru",
            explained_on=timezone.localdate(),
        )
        referrals.send_referrals(
            actor=officer,
            suspicion=suspicion,
            provider=self.world.provider,
            police=self.world.police,
        )

    @rule(record=records)
    def sender_withdraws_every_referral(self, record: Record) -> None:
        suspicion = self.open_suspicion(record)
        if suspicion is None:
            return
        for referral in suspicion.referrals.exclude(status__in=END_STATUSES):
            referrals.transition_referral(
                actor=self.officer(record.unit),
                referral=referral,
                to_status=Referral.Status.WITHDRAWN,
                reason="Kļūdaini nosūtīts.",
            )

    @rule(record=records)
    def identification_ends_negatively(self, record: Record) -> None:
        suspicion = self.open_suspicion(record)
        if suspicion is None:
            return
        for referral in suspicion.referrals.exclude(status__in=END_STATUSES):
            if referral.track == Referral.Track.PROVIDER:
                if referral.status == Referral.Status.SENT:
                    referrals.transition_referral(
                        actor=actor(member("caseworker", self.world.provider, language="en")),
                        referral=referral,
                        to_status=Referral.Status.ACCEPTED,
                    )
                    referral.refresh_from_db()
                referrals.record_commission_assessment(
                    actor=self.commission,
                    referral=referral,
                    assessed_on=timezone.localdate(),
                    members_present="Zane (sociālā darbiniece), Aivars (psihologs)",
                    result="criteria_not_met",
                    protocol_reference="MARTA-2026/9",
                )
            else:
                if referral.status == Referral.Status.SENT:
                    referrals.transition_referral(
                        actor=self.investigator,
                        referral=referral,
                        to_status=Referral.Status.ACCEPTED,
                    )
                    referral.refresh_from_db()
                referrals.record_police_outcome(
                    actor=self.investigator,
                    referral=referral,
                    proceedings="declined",
                    victim_status="pending",
                    decided_on=timezone.localdate(),
                )

    @rule(record=records, second=st.booleans())
    def one_officer_tries_to_release(self, record: Record, second: bool) -> None:
        officer = self.officer(record.unit, 1 if second else 0)
        suspicion = self.open_suspicion(record)
        for hold in Hold.objects.filter(person_id=record.person_id, released_at__isnull=True):
            try:
                if suspicion is not None and suspicion.hold_id == hold.pk:
                    referrals.decide_hold_release(
                        actor=officer,
                        suspicion=suspicion,
                        reason="Identifikācija beidzās.",
                        decision_reference="RP-2026/77",
                    )
                elif hold.cause == Hold.Cause.MANUAL:
                    cases.release_hold(
                        actor=officer,
                        hold=hold,
                        reason="Pārbaudīts.",
                        decision_reference="RP-2026/78",
                    )
            except DOMAIN_ERRORS:
                pass

    @rule(record=records)
    def risk_assessment_documented(self, record: Record) -> None:
        suspicion = self.open_suspicion(record)
        if suspicion is None:
            return
        referrals.record_return_risk_assessment(
            actor=self.officer(record.unit),
            suspicion=suspicion,
            rights_explained_in="ru",
            risk_of_retrafficking="low",
            who_meets_at_handover="Neviens nav zināms.",
            assessment="Parāda nav; ģimene sagaida.",
            assessed_on=timezone.localdate(),
        )

    @rule(record=records, approver=st.sampled_from([0, 1]))
    def four_eyes_release(self, record: Record, approver: int) -> None:
        """One officer proposes; the same or another officer tries to approve."""
        suspicion = self.open_suspicion(record)
        if suspicion is None:
            return
        try:
            proposal = referrals.propose_hold_release(
                actor=self.officer(record.unit, 0),
                suspicion=suspicion,
                reason="Visi ceļi atsaukti; risks novērtēts.",
                decision_reference="RP-2026/79",
            )
        except DOMAIN_ERRORS:
            return
        with contextlib.suppress(*DOMAIN_ERRORS):
            referrals.approve_hold_release(
                actor=self.officer(record.unit, approver), proposal=proposal
            )

    @rule(record=records)
    def screened_again(self, record: Record) -> None:
        if self.human_has_left(record.human):
            return
        officer = self.officer(record.unit)
        session = screening.start_session(
            actor=officer,
            person=self.person(record),
            setup=screening.SessionSetup(
                stage="pre_departure",
                interview_language="ru",
                prompt_language="ru",
                officer_language="lv",
            ),
        )
        session = ScreeningSession.objects.get(pk=session.pk)
        screening.record_decision(
            actor=officer,
            session=session,
            decision="no_action",
            reason="Pazīmes netika konstatētas.",
            version=session.version,
        )

    # --- operations and manifests -----------------------------------------------------------
    # Each unit works on one operation at a time (a new one once it is closed), so manifest
    # rules always have a target of the record's own unit, as in real planning.

    def operation_of(self, unit: str) -> RemovalOperation:
        current = self.current_operation.get(unit)
        if current is not None:
            current.refresh_from_db()
            if current.status in (
                RemovalOperation.Status.PLANNED,
                RemovalOperation.Status.CONFIRMED,
            ):
                return current
        # Departure a minute ago, so completion is allowed today once confirmed.
        current = PlannedOperationFactory(
            organisation=self.world.units[unit],
            departure_at=timezone.now() - dt.timedelta(minutes=1),
        )
        self.current_operation[unit] = current
        return current

    @rule(record=records)
    def add_by_hand(self, record: Record) -> None:
        try:
            removals.add_to_manifest(
                actor=self.officer(record.unit),
                operation=self.operation_of(record.unit),
                person=self.person(record),
            )
        except RemovalBlocked as refused:
            if refused.duplicates or refused.linked_holds:
                REACHED["refused for another record of the human"] += 1
        except DOMAIN_ERRORS:
            pass

    @rule(chosen=st.lists(records, min_size=1, max_size=3, unique_by=lambda r: r.person_id))
    def import_csv(self, chosen: list[Record]) -> None:
        unit = chosen[0].unit
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["case_number"])
        for record in chosen:
            if record.unit == unit:
                writer.writerow([self.person(record).case_number])
        with contextlib.suppress(*DOMAIN_ERRORS):
            removals.import_manifest(
                actor=self.officer(unit),
                operation=self.operation_of(unit),
                data=out.getvalue().encode(),
                filename="manifest.csv",
            )

    @rule(record=records)
    def taken_off_the_manifest(self, record: Record) -> None:
        entry = ManifestEntry.objects.filter(
            person_id=record.person_id, operation=self.operation_of(record.unit)
        ).first()
        if entry is not None:
            removals.remove_from_manifest(actor=self.officer(record.unit), entry=entry)

    @rule(unit=st.sampled_from(["riga", "daugavpils"]))
    def confirm(self, unit: str) -> None:
        operation = self.operation_of(unit)
        if operation.status != RemovalOperation.Status.PLANNED:
            return
        held_before = self.held_humans_on(operation.pk)
        try:
            removals.confirm_operation(actor=self.officer(unit), operation=operation)
        except DOMAIN_ERRORS:
            return
        REACHED["operation confirmed"] += 1
        assert held_before == [], f"operation confirmed with held humans {held_before} on it"

    @rule(unit=st.sampled_from(["riga", "daugavpils"]))
    def complete(self, unit: str) -> None:
        operation = self.operation_of(unit)
        if operation.status != RemovalOperation.Status.CONFIRMED:
            return
        held_before = self.held_humans_on(operation.pk)
        try:
            removals.complete_operation(actor=self.officer(unit), operation=operation)
        except DOMAIN_ERRORS:
            return
        REACHED["operation completed"] += 1
        if held_before:
            self.departed_while_held.append(f"operation {operation.pk}: humans {held_before}")

    @rule(unit=st.sampled_from(["riga", "daugavpils"]))
    def confirm_and_complete_at_once(self, unit: str) -> None:
        """A hurried officer confirms and marks departed in one go."""
        self.confirm(unit)
        self.complete(unit)

    # --- the invariant ----------------------------------------------------------------------

    @invariant()
    def nobody_held_has_left(self) -> None:
        assert self.departed_while_held == []
        for human in {r.human for r in self.all_records}:
            if self.human_is_held(human):
                assert not self.human_has_left(human), f"human {human} departed while held"
                if len(self.records_of_human(human)) > 1:
                    REACHED["held human with another record"] += 1


def test_no_held_human_ever_leaves():
    REACHED.clear()
    with translation.override("en"):
        run_state_machine_as_test(
            HoldFollowsTheHuman,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                deadline=None,
                derandomize=DERANDOMIZE,
                database=None if DERANDOMIZE else settings.default.database,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
                phases=PHASES,
            ),
        )
    for milestone in (
        "duplicate registered",
        "held human with another record",
        "operation confirmed",
        "operation completed",
    ):
        assert REACHED[milestone] > 0, f"the run never reached: {milestone} ({dict(REACHED)})"
    print("I1 state machine reached:", dict(REACHED))
