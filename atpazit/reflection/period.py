"""The reflection period itself: the grant, the reminders on day 25 and on the last day, the
early end, the status shown on pages and dashboards, and the hold-release rule (I1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event, record_disclosure
from atpazit.cases.models import Hold, Person
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import cancel_deadlines, meet_deadlines, open_deadline
from atpazit.lib.errors import InvalidInput, ServiceError
from atpazit.lib.registry import Panel
from atpazit.notifications.services import notify
from atpazit.referrals import services as core
from atpazit.referrals.hooks import residence_or_return_decided
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.visibility import WORKING_STATUSES
from atpazit.reflection.common import (
    REMINDER_DAYS_BEFORE_END,
    RIGA,
    identification_of,
    is_identified,
    law_applies,
    reflection_days,
    reflection_periods_visible_to,
    reflection_start_event,
    require_in_scope,
)
from atpazit.reflection.models import ReflectionPeriod


def is_running(period: ReflectionPeriod, today: dt.date | None = None) -> bool:
    """True from the first to the last day of the period, unless it was ended early."""
    today = today or core.local_today()
    return period.ended_early_on is None and period.starts_on <= today <= period.ends_on


def reflection_until(suspicion: Suspicion) -> dt.date | None:
    """The last day of the reflection periods protecting the suspicion's person today."""
    periods = running_periods(suspicion.person)
    return max(period.ends_on for period in periods) if periods else None


def running_periods(person: Person, today: dt.date | None = None) -> list[ReflectionPeriod]:
    """Reflection periods that protect ``person`` today."""
    today = today or core.local_today()
    return list(
        ReflectionPeriod.objects.filter(
            suspicion__person=person,
            ended_early_on__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
    )


@dataclass(frozen=True)
class ReflectionStatus:
    """What a page shows about a period today: state, days left, and the alerts due."""

    period: ReflectionPeriod
    today: dt.date

    @property
    def running(self) -> bool:
        return is_running(self.period, self.today)

    @property
    def ended_early(self) -> bool:
        return self.period.ended_early_on is not None

    @property
    def days_left(self) -> int:
        return max((self.period.ends_on - self.today).days, 0) if self.running else 0

    @property
    def day(self) -> int:
        """Day of the period (0 on the day of the start event)."""
        return (self.today - self.period.starts_on).days

    @property
    def reminder_on(self) -> dt.date:
        return self.period.ends_on - dt.timedelta(days=REMINDER_DAYS_BEFORE_END)

    @property
    def ending_soon(self) -> bool:
        return self.running and self.today >= self.reminder_on

    @property
    def last_day(self) -> bool:
        return self.running and self.today == self.period.ends_on


def reflection_status(period: ReflectionPeriod, today: dt.date | None = None) -> ReflectionStatus:
    return ReflectionStatus(period=period, today=today or core.local_today())


def grant_blockers(suspicion: Suspicion) -> list[str]:
    """Translated reasons why a reflection period cannot be recorded for ``suspicion`` now."""
    reasons = []
    if suspicion.closed_at is not None:
        reasons.append(_("This suspicion is closed."))
    if not law_applies(suspicion.person):
        reasons.append(
            _(
                "The Law on the Residence of a Victim of Trafficking does not apply to citizens of the European Union: no reflection period, and no information sheet about it."
            )
        )
    if ReflectionPeriod.objects.filter(suspicion=suspicion).exists():
        reasons.append(_("A reflection period is already recorded for this suspicion."))
    if reflection_start_event() == ReflectionPeriod.StartEvent.RECOGNITION and not is_identified(
        suspicion
    ):
        reasons.append(
            _(
                "Under Latvian law the reflection period is granted after recognition as a victim: no track has recognised the person yet."
            )
        )
    return reasons


@transaction.atomic
def grant_reflection_period(
    *, actor: Actor, suspicion: Suspicion, granted_on: dt.date | None, decision_reference: str
) -> ReflectionPeriod:
    """Record the decision granting the reflection period and start its clock.

    With ``ATPAZIT_REFLECTION_START_EVENT = "recognition"`` (Latvian law) the person must be
    identified on a track and the period counts from the grant decision; with
    ``"reasonable_grounds"`` (CoE Art. 13) it counts from the day the suspicion was raised.
    Opens the day-25 and end reminders for the person's Border Guard unit and the providers
    working on the case, notifies them, and makes sure a hold protects the person. Needs
    ``referrals.reflection:record`` and the suspicion in scope. Raises InvalidInput,
    NotAllowed, ServiceError.
    """
    organisation = require_in_scope(actor, "referrals.reflection:record", suspicion)
    current = core.lock_suspicion(suspicion)
    blockers = grant_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    decision_reference = (decision_reference or "").strip()
    raised_on = timezone.localtime(current.raised_at).date()
    errors = _grant_errors(current, granted_on, decision_reference, raised_on)
    if errors:
        raise InvalidInput(errors)
    assert granted_on is not None  # checked above
    start_event = reflection_start_event()
    starts_on = (
        raised_on if start_event == ReflectionPeriod.StartEvent.REASONABLE_GROUNDS else granted_on
    )
    period = ReflectionPeriod.objects.create(
        suspicion=current,
        start_event=start_event,
        granted_on=granted_on,
        decision_reference=decision_reference,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=reflection_days()),
        recorded_by=actor.user,
    )
    log_event(
        "reflection.granted",
        obj=period,
        details={
            "suspicion": current.pk,
            "start_event": start_event,
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
        },
    )
    _ensure_hold(actor, current, period)
    _open_reminders(current, period)
    # The person is with the investigator now: the three-day step after recognition is done.
    meet_deadlines(subject=current, kinds=[Kind.VICTIM_STEP_REMINDER, Kind.VICTIM_STEP])
    _tell_involved(
        actor,
        organisation,
        current,
        "reflection.granted",
        "reflection period granted: no removal while it runs",
    )
    return period


def _grant_errors(
    suspicion: Suspicion, granted_on: dt.date | None, reference: str, raised_on: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if granted_on is None:
        errors["granted_on"] = [_("Give the date of the decision.")]
    elif granted_on > core.local_today():
        errors["granted_on"] = [_("The date cannot be in the future.")]
    elif granted_on < raised_on:
        errors["granted_on"] = [_("The decision cannot be earlier than the suspicion.")]
    else:
        identification = identification_of(suspicion)
        if (
            reflection_start_event() == ReflectionPeriod.StartEvent.RECOGNITION
            and identification is not None
            and granted_on < identification.decided_on
        ):
            errors["granted_on"] = [
                _(
                    "Under Latvian law the period is granted after recognition as a victim: the decision cannot be earlier than the recognition."
                )
            ]
    if not reference:
        errors["decision_reference"] = [_("Give the reference of the decision.")]
    elif len(reference) > 64:
        errors["decision_reference"] = [_("The reference is at most 64 characters.")]
    return errors


def _ensure_hold(actor: Actor, suspicion: Suspicion, period: ReflectionPeriod) -> None:
    """The suspicion's hold normally still protects the person; if every hold on them has been
    released, a reflection-period hold is placed (no removal while the period runs)."""
    if Hold.objects.active().filter(person=suspicion.person).exists():
        return
    from atpazit.cases import services as cases_services
    from atpazit.cases.reasons import REFLECTION_PERIOD

    cases_services.place_hold(
        actor=actor,
        person=suspicion.person,
        reason_code=REFLECTION_PERIOD,
        cause=Hold.Cause.REFLECTION_PERIOD,
        cause_reference=f"reflection:{period.pk}",
    )


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=RIGA)


def _open_reminders(suspicion: Suspicion, period: ReflectionPeriod) -> None:
    """Day-25 and end reminders for each organisation that must act when the period ends:
    5 days before, and at the start of, the last day (``period.ends_on``, the one place the
    length ``reflection_days()`` is applied). The clocks start with the period."""
    last_day = _start_of(period.ends_on)
    due = {
        Kind.REFLECTION_DAY_25: last_day - dt.timedelta(days=REMINDER_DAYS_BEFORE_END),
        Kind.REFLECTION_END: last_day,
    }
    link = reverse("reflection:reflection_detail", kwargs={"pk": suspicion.pk})
    for organisation in involved_organisations(suspicion):
        for kind, moment in due.items():
            open_deadline(
                kind=kind,
                subject=period,
                responsible_organisation=organisation,
                case_number=suspicion.person.case_number,
                link=link,
                starts_at=_start_of(period.starts_on),
                due_at=moment,
            )


def involved_organisations(suspicion: Suspicion) -> list[Organisation]:
    """The person's Border Guard unit, then the providers working on the case."""
    providers = Organisation.objects.filter(
        referrals_received__suspicion=suspicion,
        referrals_received__track=Referral.Track.PROVIDER,
        referrals_received__status__in=WORKING_STATUSES,
        is_active=True,
    ).distinct()
    return [suspicion.person.organisation, *providers]


def _tell_involved(
    actor: Actor, organisation: Organisation, suspicion: Suspicion, kind: str, purpose: str
) -> None:
    """Notify the involved organisations and log what reached the others (I6)."""
    link = reverse("reflection:reflection_detail", kwargs={"pk": suspicion.pk})
    basis = Referral.LegalBasis.LAW
    for recipient in involved_organisations(suspicion):
        notify(
            organisation=recipient, kind=kind, link=link, case_number=suspicion.person.case_number
        )
        if recipient.pk != organisation.pk:
            record_disclosure(
                from_organisation=organisation,
                to_organisation=recipient,
                subject=suspicion.reflection_period,
                legal_basis=basis,
                purpose=purpose,
                data_categories=["case_number", "reflection_period"],
                case_number=suspicion.person.case_number,
                recorded_by=actor.user,
            )


@transaction.atomic
def end_reflection_period_early(
    *, actor: Actor, period: ReflectionPeriod, ended_on: dt.date | None, reason: str, note: str = ""
) -> ReflectionPeriod:
    """End a running reflection period before its last day, with a reason (and a note for
    "other"). Cancels its reminders and tells the Border Guard unit, the providers and the
    Ombudsman's Office: lifting a protection is never silent. The hold stays until released by
    its own decision. Needs ``referrals.reflection:record``. Raises InvalidInput, NotAllowed,
    ServiceError (not running).
    """
    organisation = require_in_scope(actor, "referrals.reflection:record", period.suspicion)
    current = (
        ReflectionPeriod.objects.select_for_update()
        .select_related("suspicion__person")
        .get(pk=period.pk)
    )
    if not is_running(current):
        raise ServiceError(_("This reflection period is not running."))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if reason not in ReflectionPeriod.EarlyEndReason.values:
        errors["reason"] = [_("Choose why the period ends early.")]
    elif reason == ReflectionPeriod.EarlyEndReason.OTHER and not note:
        errors["note"] = [_("Write the reason.")]
    if ended_on is None:
        errors["ended_on"] = [_("Give the date.")]
    elif ended_on > core.local_today():
        errors["ended_on"] = [_("The date cannot be in the future.")]
    elif ended_on < current.starts_on:
        errors["ended_on"] = [_("The period cannot end before it started.")]
    if errors:
        raise InvalidInput(errors)
    current.ended_early_on = ended_on
    current.ended_early_reason = reason
    current.ended_early_note = note
    current.ended_early_by = actor.user
    current.save(
        update_fields=["ended_early_on", "ended_early_reason", "ended_early_note", "ended_early_by"]
    )
    cancel_deadlines(subject=current, kinds=[Kind.REFLECTION_DAY_25, Kind.REFLECTION_END])
    log_event(
        "reflection.ended_early", obj=current, details={"reason": reason, "ended_on": str(ended_on)}
    )
    suspicion = current.suspicion
    _tell_involved(
        actor, organisation, suspicion, "reflection.ended_early", "reflection period ended early"
    )
    link = reverse("reflection:reflection_detail", kwargs={"pk": suspicion.pk})
    for ombudsman in Organisation.objects.filter(type=OrganisationType.OMBUDSMAN, is_active=True):
        notify(
            organisation=ombudsman,
            kind="reflection.ended_early",
            link=link,
            case_number=suspicion.person.case_number,
            permission="escalations.escalation:resolve",
        )
    return current


def close_reflection_reminders(suspicion: Suspicion) -> None:
    """What follows the period is decided (a residence permit granted, a return decision, the
    case closed): its reminders have done their work and leave the dashboards. The period itself
    keeps protecting the person until its last day or an early end."""
    period = ReflectionPeriod.objects.filter(suspicion=suspicion).first()
    if period is not None:
        meet_deadlines(subject=period, kinds=[Kind.REFLECTION_DAY_25, Kind.REFLECTION_END])


# --- the hold may not be released while a period runs (I1) ---------------------------------------


def reflection_release_blockers(hold: Hold) -> list[str]:
    """Release condition for holds: none may end while a reflection period protects the person."""
    return [
        _(
            "A reflection period runs until %(date)s: no removal, and the hold cannot be released while it runs."
        )
        % {"date": period.ends_on.strftime("%d.%m.%Y")}
        for period in running_periods(hold.person)
    ]


def reflection_hold_release_blockers(hold: Hold) -> list[str]:
    """The rule of holds placed for a reflection period: after the period, a recognised
    person's hold stays until the residence or return decision is recorded."""
    blockers = reflection_release_blockers(hold)
    suspicions = Suspicion.objects.filter(person=hold.person, reflection_period__isnull=False)
    for suspicion in suspicions:
        if is_identified(suspicion) and not residence_or_return_decided(suspicion):
            blockers.append(
                _(
                    "The person is recognised as a victim: the hold stays until a residence permit is granted or a return decision is recorded."
                )
            )
    return blockers


def register_release_conditions() -> None:
    """Called from ReferralsConfig.ready(). Only causes whose own rules exist get the extra
    condition: adding a rule to a cause with none would make it releasable (deny when unsure)."""
    from atpazit.cases.holds import register_release_condition

    register_release_condition(Hold.Cause.SUSPICION, reflection_release_blockers)
    register_release_condition(Hold.Cause.REFLECTION_PERIOD, reflection_hold_release_blockers)


# --- dashboard ---------------------------------------------------------------------------------

PANEL_ROWS = 10


def reflection_panel(actor: Actor) -> Panel | None:
    """Running reflection periods of the cases the actor follows, ending soonest first, with the
    day-25 and last-day alerts (the reminders themselves come through the deadlines panel)."""
    if not actor.can("referrals.followup:read"):
        return None
    today = core.local_today()
    running = reflection_periods_visible_to(actor).filter(
        ended_early_on__isnull=True, starts_on__lte=today, ends_on__gte=today
    )
    rows = [reflection_status(period, today) for period in running[:PANEL_ROWS]]
    if not rows:
        return None
    context = {"rows": rows, "count": running.count()}
    return Panel(
        gettext_lazy("Reflection periods: no removal while they run"),
        "reflection/reflection_panel.html",
        context,
    )
