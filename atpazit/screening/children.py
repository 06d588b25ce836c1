"""A child is never removed unscreened (I4, docs/decisions/0014-children-screened-before-removal.md).

The removal precondition the screening app registers with ``cases.holds`` (``confirmed_only``):
a person on the child path — under 18 by any age evidence or of disputed age, on any record
linked with them as the same human — needs a *completed* screening run with the child profile
before a removal is confirmed, before anyone is put on a confirmed operation, marked *removal
planned* or *departed*. Putting them on an operation still being planned is allowed: that is
when they get screened. What counts:

- only a session with a recorded *final* decision (``completed_at``; no action, the Labour
  Inspectorate, a suspicion): one started but not decided is not a screening yet, whatever was
  ticked, and neither is one that ends in "re-screen at the next stage" or "interview now,
  before departure" (nor one the engine advised an interview before departure for, unless a
  suspicion was raised), nor one overtaken by such a later screening of the same record;
- only one run as a child: the engine's child profile, or the person facts it read (under 18,
  age disputed). An adult screening done before the age was disputed does not count;
- a screening of a record linked with the person as the same human counts (the link is a
  case officer's final decision); a likely duplicate nobody resolved does not;
- but a likely duplicate nobody resolved that is a child (or of disputed age) puts the person
  on the child path: the adult-looking record must not be the way round the rule.

Cases never imports this module: the one guard asks it through the registry.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from atpazit.cases.holds import RemovalObstacle
from atpazit.cases.matching import likely_matches
from atpazit.cases.models import IdentityDecision, Person
from atpazit.cases.rules import ADULT_AGE, is_child
from atpazit.screening.catalogue import AgeGroup
from atpazit.screening.engine import Recommendation
from atpazit.screening.models import Decision, ScreeningSession

# The obstacle's stable code (audit details, the removal pages, tests).
CHILD_NOT_SCREENED = "child_not_screened"

CHILD_FIELDS = (
    "pk",
    "identity_root_id",
    "age_disputed",
    "date_of_birth",
    "birth_year",
    "stated_age",
)


# Decisions that close a screening. A "re-screen at the next stage" or an "interview now, before
# departure" outcome says the screening is not finished: it does not count for a child.
FINAL_DECISIONS = (
    Decision.NO_ACTION.value,
    Decision.LABOUR_INSPECTORATE.value,
    Decision.RAISE_SUSPICION.value,
)


def _not_final() -> Q:
    """A decided session whose outcome asks for more before the person leaves: a decision that
    is not final, or the engine's "interview before departure" advice (R7) not answered by a
    suspicion (the advice stands whatever else was decided, screening.hooks)."""
    return ~Q(decision__in=FINAL_DECISIONS) | (
        Q(recommendation=Recommendation.INTERVIEW_BEFORE_DEPARTURE.value)
        & ~Q(decision=Decision.RAISE_SUSPICION.value)
    )


def child_screenings() -> Q:
    """Completed sessions with a final decision run on the child path (the filter on
    ScreeningSession), not overtaken by a later decided session of the same record that asks
    for more (a re-screen, an interview before departure)."""
    later_asks_more = ScreeningSession.objects.filter(
        _not_final(),
        person=OuterRef("person"),
        completed_at__isnull=False,
        completed_at__gt=OuterRef("completed_at"),
    )
    return (
        Q(completed_at__isnull=False)
        & ~_not_final()
        & (Q(age_group=AgeGroup.CHILD.value) | Q(age_disputed=True) | Q(person_age__lt=ADULT_AGE))
        & Q(~Exists(later_asks_more))
    )


def child_screening_obstacles(person_ids: list[int]) -> dict[int, list[RemovalObstacle]]:
    """The registered precondition, in a constant number of queries for any number of persons:
    the persons and every record linked with them (whether each was screened as a child or has
    an open session), and their likely duplicates nobody resolved (with the records linked
    with those), read for their age only."""
    ids = set(person_ids)
    roots = Person.objects.filter(pk__in=ids, identity_root__isnull=False).values("identity_root")
    sessions = ScreeningSession.objects.filter(person=OuterRef("pk"))
    records = list(
        Person.objects.filter(Q(pk__in=ids) | Q(identity_root__in=roots))
        .only(*CHILD_FIELDS[1:])
        .annotate(
            screened_as_child=Exists(sessions.filter(child_screenings())),
            screening_open=Exists(sessions.filter(completed_at__isnull=True)),
        )
        .order_by("pk")
    )
    today = timezone.localdate()
    group: dict[int, list[Person]] = defaultdict(list)
    for record in records:
        group[record.identity_root_id or record.pk].append(record)
    child_duplicates = _child_duplicates([record.pk for record in records], today)
    found: dict[int, list[RemovalObstacle]] = {}
    for record in records:
        if record.pk not in ids:
            continue
        same = group[record.identity_root_id or record.pk]
        if not any(is_child(one, today) for one in same) and not any(
            one.pk in child_duplicates for one in same
        ):
            continue
        if any(one.screened_as_child for one in same):  # type: ignore[attr-defined]
            continue
        started = any(one.screening_open for one in same)  # type: ignore[attr-defined]
        found[record.pk] = [RemovalObstacle(CHILD_NOT_SCREENED, _message(started=started))]
    return found


def _child_duplicates(record_ids: list[int], today: date) -> set[int]:
    """The records among ``record_ids`` with a likely duplicate nobody resolved (not confirmed
    to be another person) that is on the child path, by its own age evidence or a record linked
    with it. Deny when unsure: a second registration that says "15" keeps the child rule on the
    record that says "25" until a case officer links or separates them."""
    likely = {
        pk: [d for d in duplicates if d.decision != IdentityDecision.Decision.DIFFERENT]
        for pk, duplicates in likely_matches(record_ids).items()
    }
    others = {d.other.pk for duplicates in likely.values() for d in duplicates}
    if not others:
        return set()
    other_roots = {
        d.other.identity_root_id
        for duplicates in likely.values()
        for d in duplicates
        if d.other.identity_root_id
    }
    ages = Person.objects.filter(Q(pk__in=others) | Q(identity_root__in=other_roots)).only(
        *CHILD_FIELDS[1:]
    )
    children = {(one.identity_root_id or one.pk) for one in ages if is_child(one, today)}
    return {
        pk
        for pk, duplicates in likely.items()
        if any((d.other.identity_root_id or d.other.pk) in children for d in duplicates)
    }


def _message(*, started: bool) -> str:
    if started:
        return gettext(
            "a child or a person whose age is disputed must be screened as a child before a "
            "confirmed removal: a screening was started but no decision has been recorded yet."
        )
    return gettext(
        "a child or a person whose age is disputed must be screened as a child before a "
        "confirmed removal: no such screening has been completed."
    )
