"""Is a case still live, and when did its last activity end? (DESIGN §7, I1)

A *case* here is a human: every record linked as the same person (``Person.identity_root``)
is one case, so a second record never lets the first be purged early, nor the other way round.
A case is kept, whatever its age, while any of ``REASONS`` applies to any of its records; each
check is one query per batch. Its period counts from the end of its last activity: the latest
date or time on any row of any part (``parts.PARTS``), a date counting to its end. A date in the
future (a planned removal, a permit valid until, a reflection period ending) therefore keeps the
case until that date has passed and the whole period after it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import DateField, DateTimeField, Exists, Max, Model, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atpazit.aftercare.models import (
    Rehabilitation,
    ResidencePermit,
    ServiceDecision,
    ServiceRequest,
)
from atpazit.cases.holds import removal_blocks
from atpazit.cases.matching import likely_matches
from atpazit.cases.models import (
    OPEN_STATUSES,
    AgeChange,
    AppealStatus,
    Hold,
    IdentityDecision,
    Person,
)
from atpazit.deadlines.models import Deadline
from atpazit.escalations.models import Escalation
from atpazit.monitoring.models import RemovalRequest
from atpazit.referrals.models import OPEN_STATUSES as OPEN_REFERRALS
from atpazit.referrals.models import (
    GuardianAppointment,
    HoldReleaseProposal,
    PoliceOutcome,
    Referral,
    Suspicion,
)
from atpazit.reflection.models import ReflectionPeriod
from atpazit.removals.models import OPEN_STATUSES as OPEN_OPERATIONS
from atpazit.removals.models import ManifestEntry
from atpazit.retention.models import LegalHold
from atpazit.retention.parts import PARTS, Part
from atpazit.screening.models import ScreeningSession

# Why a case past its period was kept (codes in PurgeRun.kept and audit details).
REASONS: dict[str, Promise] = {
    "within_period": _("its retention period has not passed"),
    "procedure_open": _("the return procedure is open"),
    "appeal_pending": _("an appeal against the return decision is pending"),
    "hold": _("a removal hold is active on a record of the person"),
    "held_duplicate": _("a likely duplicate record nobody has resolved is held"),
    "removal_obstacle": _("a step required before removal is pending"),
    "live_duplicate": _("a likely duplicate record nobody has resolved is still live"),
    "screening_open": _("a screening has not been completed"),
    "suspicion_open": _("a suspicion of trafficking is open"),
    "referral_open": _("a referral for identification is open"),
    "police_pending": _("a decision of the police is pending"),
    "reflection_running": _("a reflection period is running"),
    "siva_pending": _("a SIVA service decision is pending"),
    "rehabilitation_running": _("social rehabilitation is running"),
    "permit_pending": _("a residence permit request is pending"),
    "guardian_active": _("a guardian appointment is in force"),
    "proposal_pending": _("a four-eyes proposal is waiting for a second officer"),
    "removal_request_pending": _("a monitor's request to take the person off a manifest waits"),
    "operation_open": _("the person is on a removal operation that has not ended"),
    "deadline_open": _("a deadline of the case is open"),
    "escalation_open": _("an escalation about the case is open"),
    "legal_hold": _("a legal hold stops the purge"),
}


def group_key(person_id: int, identity_root_id: int | None) -> int:
    return identity_root_id or person_id


def groups_of(person_ids: Iterable[int]) -> dict[int, set[int]]:
    """The persons, with every record linked with them, by case (the group's root id)."""
    ids = set(person_ids)
    rows = Person.objects.filter(pk__in=ids).values_list("pk", "identity_root_id")
    roots = {root for _pk, root in rows if root}
    groups: dict[int, set[int]] = defaultdict(set)
    for pk, root in rows:
        groups[group_key(pk, root)].add(pk)
    if roots:
        linked = Person.objects.filter(identity_root_id__in=roots).values_list(
            "pk", "identity_root_id"
        )
        for pk, root in linked:
            groups[root].add(pk)
    return dict(groups)


def _end_of(value: dt.date | dt.datetime) -> dt.datetime:
    """A time stays as it is; a date lasts until the end of that day in Riga."""
    if isinstance(value, dt.datetime):
        return value
    midnight = dt.datetime.combine(value + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(midnight)


def _date_lookups(part: Part) -> list[str]:
    own = [
        model_field.name
        for model_field in part.model._meta.concrete_fields
        if isinstance(model_field, DateField | DateTimeField)
    ]
    return own + list(part.activity)


def last_activity(groups: dict[int, set[int]]) -> dict[int, dt.datetime]:
    """The end of the last activity of each case: one query per part and path."""
    person_ids = {pk for pks in groups.values() for pk in pks}
    numbers = dict(Person.objects.filter(pk__in=person_ids).values_list("case_number", "pk"))
    owner = {pk: key for key, pks in groups.items() for pk in pks}
    latest: dict[int, dt.datetime] = {}
    for part in PARTS:
        lookups = _date_lookups(part)
        paths = ["case_number"] if part.case_number else list(part.person)
        for path in paths:
            wanted = set(numbers) if part.case_number else person_ids
            rows = (
                part.model._default_manager.filter(**{f"{path}__in": wanted})
                .values(path)
                .annotate(**{f"_m{index}": Max(lookup) for index, lookup in enumerate(lookups)})
                .order_by()
            )
            for row in rows:
                pk = numbers.get(row[path]) if part.case_number else row[path]
                if pk not in owner:
                    continue
                ends = [_end_of(row[f"_m{i}"]) for i in range(len(lookups)) if row[f"_m{i}"]]
                group = owner[pk]
                for end in ends:
                    if group not in latest or end > latest[group]:
                        latest[group] = end
    return latest


def _flag(found: dict[int, set[str]], reason: str, person_ids: Iterable[int | None]) -> None:
    for pk in person_ids:
        if pk is not None:
            found[pk].add(reason)


def _person_reasons(person_ids: set[int], today: dt.date) -> dict[int, set[str]]:
    """The reasons that keep each record, one query per reason."""
    found: dict[int, set[str]] = defaultdict(set)
    persons = Person.objects.filter(pk__in=person_ids)
    _flag(
        found,
        "procedure_open",
        persons.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True),
    )
    _flag(
        found,
        "appeal_pending",
        persons.filter(appeal_status=AppealStatus.PENDING).values_list("pk", flat=True),
    )
    in_cases = {"person__in": person_ids}
    via_suspicion = {"suspicion__person__in": person_ids}
    checks: list[tuple[str, type[Model], Q, str]] = [
        ("screening_open", ScreeningSession, Q(completed_at__isnull=True), "person_id"),
        ("suspicion_open", Suspicion, Q(closed_at__isnull=True), "person_id"),
        ("pending_age", AgeChange, Q(status=AgeChange.Status.PENDING), "person_id"),
        (
            "removal_request_pending",
            RemovalRequest,
            Q(status=RemovalRequest.Status.PENDING),
            "person_id",
        ),
        ("legal_hold", LegalHold, Q(lifted_at__isnull=True), "person_id"),
        (
            "operation_open",
            ManifestEntry,
            Q(operation__status__in=OPEN_OPERATIONS),
            "person_id",
        ),
    ]
    for reason, model, condition, column in checks:
        rows = model._default_manager.filter(condition, **in_cases).values_list(column, flat=True)
        _flag(found, "proposal_pending" if reason == "pending_age" else reason, rows)
    suspicion_checks: list[tuple[str, type[Model], Q]] = [
        ("referral_open", Referral, Q(status__in=OPEN_REFERRALS)),
        (
            "reflection_running",
            ReflectionPeriod,
            Q(ended_early_on__isnull=True, ends_on__gte=today),
        ),
        ("permit_pending", ResidencePermit, Q(status=ResidencePermit.Status.REQUESTED)),
        ("proposal_pending", HoldReleaseProposal, Q(status=HoldReleaseProposal.Status.PENDING)),
        ("guardian_active", GuardianAppointment, Q(ended_at__isnull=True)),
        (
            "siva_pending",
            ServiceRequest,
            ~Q(Exists(ServiceDecision.objects.filter(suspicion=OuterRef("suspicion")))),
        ),
    ]
    for reason, model, condition in suspicion_checks:
        rows = model._default_manager.filter(condition, **via_suspicion).values_list(
            "suspicion__person_id", flat=True
        )
        _flag(found, reason, rows)
    rehabilitation = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    _flag(
        found,
        "rehabilitation_running",
        Rehabilitation.objects.filter(rehabilitation, suspicion__person__in=person_ids).values_list(
            "suspicion__person_id", flat=True
        ),
    )
    police = Q(proceedings=PoliceOutcome.Proceedings.PENDING) | Q(
        victim_status=PoliceOutcome.VictimStatus.PENDING
    )
    _flag(
        found,
        "police_pending",
        PoliceOutcome.objects.filter(
            police, referral__suspicion__person__in=person_ids
        ).values_list("referral__suspicion__person_id", flat=True),
    )
    numbers = dict(persons.values_list("case_number", "pk"))
    open_deadlines = Deadline.objects.filter(
        case_number__in=numbers, met_at__isnull=True, cancelled_at__isnull=True
    ).values_list("case_number", flat=True)
    _flag(found, "deadline_open", (numbers.get(number) for number in open_deadlines))
    open_escalations = Escalation.objects.filter(
        case_number__in=numbers, resolved_at__isnull=True
    ).values_list("case_number", flat=True)
    _flag(found, "escalation_open", (numbers.get(number) for number in open_escalations))
    return found


def _removal_reasons(person_ids: set[int]) -> dict[int, set[str]]:
    """Active holds on the records, and the rest of the I1 guard's answer (held likely
    duplicates nobody resolved, removal preconditions), read without row locks: the caller
    locked the rows it will change. The preconditions are asked as for a confirmed removal
    (deny when unsure): the child screening (ADR 0014), asked of a confirmed removal only,
    keeps an unscreened child's case too."""
    found: dict[int, set[str]] = defaultdict(set)
    _flag(
        found,
        "hold",
        Hold.objects.active().filter(person__in=person_ids).values_list("person_id", flat=True),
    )
    persons = list(Person.objects.filter(pk__in=person_ids))
    for pk, blocked in removal_blocks(persons, lock=False, confirmed=True).items():
        if blocked.duplicates:
            found[pk].add("held_duplicate")
        if blocked.obstacles:
            found[pk].add("removal_obstacle")
    return found


def live_reasons(
    groups: dict[int, set[int]], *, cutoff: dt.datetime, today: dt.date
) -> tuple[dict[int, set[str]], dict[int, dt.datetime]]:
    """Why each case must be kept (an empty set: it may be purged), and its last activity.

    ``cutoff``: a case whose last activity ended after it is within its period. A likely
    duplicate that nobody has resolved (not decided "different") keeps the case while that
    other record is live itself: its history may be what protects the person now."""
    reasons, latest = _own_reasons(groups, cutoff=cutoff, today=today)
    person_ids = {pk for pks in groups.values() for pk in pks}
    others = _unresolved_duplicates(person_ids)
    live = {pk for key, pks in groups.items() if reasons[key] for pk in pks}
    outside = {other for pks in others.values() for other in pks} - person_ids
    if outside:
        other_groups = groups_of(outside)
        other_reasons, _latest = _own_reasons(other_groups, cutoff=cutoff, today=today)
        live |= {pk for key, pks in other_groups.items() if other_reasons[key] for pk in pks}
    for key, pks in groups.items():
        if any(other in live for pk in pks for other in others.get(pk, ()) if other not in pks):
            reasons[key].add("live_duplicate")
    return reasons, latest


def _own_reasons(
    groups: dict[int, set[int]], *, cutoff: dt.datetime, today: dt.date
) -> tuple[dict[int, set[str]], dict[int, dt.datetime]]:
    person_ids = {pk for pks in groups.values() for pk in pks}
    per_person = _person_reasons(person_ids, today)
    for pk, found in _removal_reasons(person_ids).items():
        per_person[pk] |= found
    latest = last_activity(groups)
    reasons: dict[int, set[str]] = {}
    for key, pks in groups.items():
        reasons[key] = set().union(*(per_person.get(pk, set()) for pk in pks))
        if key not in latest or latest[key] > cutoff:
            reasons[key].add("within_period")
    return reasons, latest


def _unresolved_duplicates(person_ids: set[int]) -> dict[int, set[int]]:
    """For each person, the likely duplicates in other cases not decided to be other people."""
    found: dict[int, set[int]] = defaultdict(set)
    for pk, duplicates in likely_matches(person_ids).items():
        for duplicate in duplicates:
            if duplicate.decision != IdentityDecision.Decision.DIFFERENT:
                found[pk].add(duplicate.other.pk)
    return found
