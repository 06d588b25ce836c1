"""R7 downstream: a person who must be interviewed before departure (DESIGN.md §5, I2).

When a screening that asks for a closer interview before departure (the engine's R7 advice, or
the screener's decision) is recorded for a person on an open operation — or such a person is
later put on one — the case officers of the unit that runs the operation are notified and asked
to defer the person until the interview is done. It is advice, never a hold: nothing here
blocks a removal. It cannot be missed either: the operation page, the pre-departure check and
the dashboard show it per person.

Nothing is stored for it. What a page shows is derived from the person's *latest decided*
screening, so the item clears by itself when a later screening is recorded (the closer
interview), when the person is taken off the manifest, or when a suspicion is raised (the
latest decision raised it, or a hold now blocks the person — stronger than this advice). If
such a hold is later released, the advice shows again until the person is screened again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.notifications.services import notify
from atpazit.removals.models import OPEN_STATUSES, ManifestEntry, RemovalOperation
from atpazit.removals.selectors import READ, WRITE, _active_hold_on, operations_visible_to
from atpazit.screening.hooks import (
    INTERVIEW_BEFORE_DEPARTURE,
    RAISE_SUSPICION,
    asks_interview_before_departure,
)

NOTIFICATION_KIND = "removal.interview_before_departure"
PANEL_LIMIT = 20


def on_screening_decided(session: Any, actor: Actor | None) -> None:
    """Listener for ``screening.hooks.screening_decided``: ask each open operation's unit to
    defer the person, if the screening asks for an interview before departure."""
    if not asks_interview_before_departure(session.recommendation, session.decision):
        return
    operations = RemovalOperation.objects.filter(
        manifest__person=session.person_id, status__in=OPEN_STATUSES
    ).select_related("organisation")
    for operation in operations:
        _ask_to_defer(operation, session.person, actor, session_id=session.pk)


def on_persons_added(
    *, operation: RemovalOperation, persons: Iterable[Person], actor: Actor | None
) -> None:
    """Called by the manifest services after persons were put on ``operation``: anyone whose
    latest screening asks for an interview before departure is announced to the unit."""
    from atpazit.screening.selectors import latest_screenings

    listed = list(persons)
    latest = latest_screenings(person.pk for person in listed)
    for person in listed:
        screening = latest.get(person.pk)
        if screening is not None and asks_interview_before_departure(
            screening.recommendation, screening.decision
        ):
            _ask_to_defer(operation, person, actor, session_id=screening.session_id)


def _ask_to_defer(
    operation: RemovalOperation, person: Person, actor: Actor | None, *, session_id: int
) -> None:
    # In-app notification with the case number; the e-mail carries only the fixed text and a
    # link (notifications.services), never the case number or a name (DESIGN.md §7).
    notify(
        organisation=operation.organisation,
        kind=NOTIFICATION_KIND,
        link=reverse("removals:operation_detail", args=[operation.pk]),
        case_number=person.case_number,
        # Whom to ask: whoever may change the operation's manifest (the permission table
        # decides; today the Border Guard case officer), never a hard-coded role.
        permission=WRITE,
    )
    log_event(
        "operation.interview_before_departure_advised",
        obj=operation,
        details={"person": person.pk, "screening": session_id},
    )


# --- the dashboard item --------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewItem:
    """One person on one open operation who should be deferred until interviewed."""

    operation: RemovalOperation
    case_number: str
    person_id: int


def _latest(field: str) -> Subquery:
    from atpazit.screening.models import ScreeningSession

    newest = ScreeningSession.objects.filter(
        person=OuterRef("person"), completed_at__isnull=False
    ).order_by("-completed_at", "-pk")
    return Subquery(newest.values(field)[:1])


def interview_items(actor: Actor, *, limit: int | None = None) -> list[InterviewItem]:
    """Persons on the actor's visible open operations whose latest decided screening asks for
    an interview before departure, not held (a hold is a blocking conflict, shown elsewhere),
    soonest departure first. Two queries."""
    if not actor.can(READ):
        return []
    operations = operations_visible_to(actor).filter(status__in=OPEN_STATUSES)
    entries = (
        ManifestEntry.objects.filter(operation__in=operations)
        .annotate(
            latest_recommendation=_latest("recommendation"), latest_decision=_latest("decision")
        )
        .filter(
            Q(latest_recommendation=INTERVIEW_BEFORE_DEPARTURE)
            | Q(latest_decision=INTERVIEW_BEFORE_DEPARTURE)
        )
        .exclude(latest_decision=RAISE_SUSPICION)
        .exclude(_active_hold_on("person"))
        .order_by("operation__departure_at", "operation_id", "person__case_number")
        .values_list("operation_id", "person_id", "person__case_number")
    )
    rows = list(entries[:limit] if limit is not None else entries)
    by_pk = RemovalOperation.objects.in_bulk({operation_id for operation_id, _, _ in rows})
    return [
        InterviewItem(operation=by_pk[operation_id], case_number=number, person_id=person_id)
        for operation_id, person_id, number in rows
    ]


def interview_panel(actor: Actor) -> Any:
    """Dashboard: persons to defer until a closer interview is done (R7), for anyone who sees
    removal operations; the case officer acts on it, the monitor sees it too."""
    from atpazit.lib.registry import Panel

    if not actor.can(READ):
        return None
    return Panel(
        title=_("Interview before departure: persons to defer"),
        template="removals/panel_interviews.html",
        context={"items": interview_items(actor, limit=PANEL_LIMIT)},
    )
