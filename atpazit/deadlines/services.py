"""Opening, meeting and checking deadlines. ``tick`` runs from `atpazit tick` (cron/systemd)."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.deadlines import rules
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import rule_for
from atpazit.escalations.models import Escalation
from atpazit.escalations.services import raise_escalation
from atpazit.notifications.services import notify


def open_deadline(
    *,
    kind: str,
    subject: models.Model,
    responsible_organisation: Organisation,
    case_number: str = "",
    link: str = "",
    starts_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
) -> Deadline:
    """Start the clock for ``kind`` on ``subject``. Called by the service that creates the duty.

    The moment it falls due comes from the kind's rule (``deadlines.rules``), or, for a kind whose
    length another setting owns (the reflection period's reminders), is given as ``due_at``."""
    start = starts_at or timezone.now()
    due = due_at if due_at is not None else rules.due_at(kind, start)
    deadline = Deadline.objects.create(
        kind=kind,
        subject=_subject(subject),
        case_number=case_number,
        link=link,
        responsible_organisation=responsible_organisation,
        starts_at=start,
        due_at=due,
    )
    log_event(
        "deadline.opened", obj=deadline, details={"kind": kind, "due": deadline.due_at.isoformat()}
    )
    return deadline


def meet_deadlines(*, subject: models.Model, kinds: list[str] | None = None) -> int:
    """Mark the open deadlines of ``subject`` met (the duty was done), optionally only ``kinds``."""
    return _close(subject, kinds, met=True)


def cancel_deadlines(*, subject: models.Model, kinds: list[str] | None = None) -> int:
    """The duty fell away (e.g. a referral withdrawn): the clock stops without being met."""
    return _close(subject, kinds, met=False)


def _close(subject: models.Model, kinds: list[str] | None, *, met: bool) -> int:
    open_ones = Deadline.objects.filter(
        subject=_subject(subject), met_at__isnull=True, cancelled_at__isnull=True
    )
    if kinds is not None:
        open_ones = open_ones.filter(kind__in=kinds)
    now = timezone.now()
    count = open_ones.update(**({"met_at": now} if met else {"cancelled_at": now}))
    if count:
        log_event(
            "deadline.met" if met else "deadline.cancelled",
            object_type="deadlines.deadline",
            details={"subject": _subject(subject), "count": count},
        )
    return count


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Fire every open deadline that has fallen due: escalate or remind, exactly once each."""
    now = now or timezone.now()
    fired = {"escalated": 0, "reminded": 0}
    due = Deadline.objects.filter(
        met_at__isnull=True, cancelled_at__isnull=True, fired_at__isnull=True, due_at__lte=now
    )
    for deadline_id in list(due.values_list("pk", flat=True)):
        outcome = _fire(deadline_id, now)
        if outcome:
            fired[outcome] += 1
    return fired


@transaction.atomic
def _fire(deadline_id: int, now: dt.datetime) -> str | None:
    deadline = Deadline.objects.select_for_update().get(pk=deadline_id)
    if deadline.fired_at is not None or not deadline.is_open:
        return None  # another tick got there first
    deadline.fired_at = now
    deadline.save(update_fields=["fired_at"])
    if not rule_for(deadline.kind).escalate:
        notify(
            organisation=deadline.responsible_organisation,
            kind="deadline.reminder",
            link=deadline.link or "/",
            case_number=deadline.case_number,
        )
        log_event("deadline.reminded", obj=deadline, details={"kind": deadline.kind})
        return "reminded"
    raise_escalation(
        kind=Escalation.Kind.DEADLINE_OVERDUE,
        subject=deadline,
        responsible_organisation=deadline.responsible_organisation,
        summary_code=f"deadline.{deadline.kind}.overdue",
        case_number=deadline.case_number,
        link="" if rule_for(deadline.kind).about_a_person else deadline.link,
    )
    notify(
        organisation=deadline.responsible_organisation,
        kind="deadline.overdue",
        link=deadline.link or "/",
        case_number=deadline.case_number,
    )
    for ombudsman in Organisation.objects.filter(type=OrganisationType.OMBUDSMAN, is_active=True):
        notify(
            organisation=ombudsman,
            kind="escalation.raised",
            link="/escalations/",
            case_number=deadline.case_number,
            permission="escalations.escalation:resolve",
        )
    log_event("deadline.escalated", obj=deadline, details={"kind": deadline.kind})
    return "escalated"


def _subject(subject: models.Model) -> str:
    return f"{subject._meta.label_lower}:{subject.pk}"
