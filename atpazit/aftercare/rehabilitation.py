"""State-funded social rehabilitation: start after SIVA assigned the service, a 180-day counter
with a reminder when the days are used up, and the end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.aftercare.common import (
    RIGA,
    Decision,
    date_errors,
    followup_url,
)
from atpazit.aftercare.models import Rehabilitation
from atpazit.aftercare.siva import latest_service_decision, provider_referral
from atpazit.audit.services import log_event, record_disclosure
from atpazit.deadlines.rules import Kind, rule_for
from atpazit.deadlines.services import meet_deadlines, open_deadline
from atpazit.lib.errors import NotAllowed, ServiceError
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral, Suspicion
from atpazit.reflection import services as reflection

# --- social rehabilitation (up to 180 days) -------------------------------------------------------


def rehabilitation_days() -> int:
    return rule_for(Kind.REHABILITATION_END).calendar_days or 180


@dataclass(frozen=True)
class RehabilitationCounter:
    """Days used (the first day is day 1) and left of the rehabilitation limit."""

    rehabilitation: Rehabilitation
    today: dt.date

    @property
    def total(self) -> int:
        return rehabilitation_days()

    @property
    def used(self) -> int:
        last = min(self.today, self.rehabilitation.ended_on or self.today)
        return max((last - self.rehabilitation.started_on).days + 1, 0)

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def last_day(self) -> dt.date:
        return self.rehabilitation.started_on + dt.timedelta(days=self.total - 1)

    @property
    def over(self) -> bool:
        return self.rehabilitation.ended_on is None and self.used > self.total


def rehabilitation_counter(
    rehabilitation: Rehabilitation, today: dt.date | None = None
) -> RehabilitationCounter:
    return RehabilitationCounter(rehabilitation=rehabilitation, today=today or core.local_today())


def rehabilitation_blockers(suspicion: Suspicion) -> list[str]:
    reasons = []
    if Rehabilitation.objects.filter(suspicion=suspicion).exists():
        reasons.append(_("Rehabilitation is already recorded for this person."))
    latest = latest_service_decision(suspicion)
    if latest is None or latest.decision != Decision.ASSIGNED:
        reasons.append(_("Rehabilitation starts after SIVA has assigned the service."))
    return reasons


def _tell_siva(
    actor: Actor,
    organisation: Organisation,
    suspicion: Suspicion,
    subject: Rehabilitation,
    purpose: str,
) -> None:
    requests = suspicion.service_requests.select_related("to_organisation")
    for siva in {request.to_organisation for request in requests}:
        record_disclosure(
            from_organisation=organisation,
            to_organisation=siva,
            subject=subject,
            legal_basis=Referral.LegalBasis.LAW,
            purpose=purpose,
            data_categories=["case_number", "rehabilitation_dates"],
            case_number=suspicion.person.case_number,
            recorded_by=actor.user,
        )


@transaction.atomic
def start_rehabilitation(
    *, actor: Actor, suspicion: Suspicion, started_on: dt.date | None
) -> Rehabilitation:
    """The provider starts the state-funded service SIVA assigned; the 180-day clock starts and
    a reminder is due when the days are used up. Needs ``referrals.rehabilitation:record`` in a
    provider working on the case. Raises InvalidInput, NotAllowed, ServiceError.
    """
    organisation = reflection.require_in_scope(actor, "referrals.rehabilitation:record", suspicion)
    current = core.lock_suspicion(suspicion)
    provider_referral(actor, current)
    core.check_open(current)
    blockers = rehabilitation_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    errors: dict[str, list[str]] = {}
    latest = latest_service_decision(current)
    date_errors(started_on, "started_on", errors, not_before=latest.decided_on if latest else None)
    core.raise_if_errors(errors)
    assert started_on is not None
    rehabilitation = Rehabilitation.objects.create(
        suspicion=current, provider=organisation, started_on=started_on
    )
    open_deadline(
        kind=Kind.REHABILITATION_END,
        subject=rehabilitation,
        responsible_organisation=organisation,
        case_number=current.person.case_number,
        link=followup_url(current),
        starts_at=dt.datetime.combine(started_on, dt.time.min, tzinfo=RIGA),
    )
    _tell_siva(
        actor, organisation, current, rehabilitation, "state-funded social rehabilitation: start"
    )
    log_event(
        "rehabilitation.started",
        obj=rehabilitation,
        details={"suspicion": current.pk, "started_on": started_on.isoformat()},
    )
    return rehabilitation


@transaction.atomic
def end_rehabilitation(
    *, actor: Actor, rehabilitation: Rehabilitation, ended_on: dt.date | None
) -> Rehabilitation:
    """The provider records the end of the service. Needs ``referrals.rehabilitation:record``
    in the providing organisation. Raises InvalidInput, NotAllowed, ServiceError."""
    organisation = reflection.require_in_scope(
        actor, "referrals.rehabilitation:record", rehabilitation.suspicion
    )
    current = (
        Rehabilitation.objects.select_for_update()
        .select_related("suspicion__person")
        .get(pk=rehabilitation.pk)
    )
    if current.provider_id != organisation.pk:
        raise NotAllowed(_("Only the provider giving the service can do this."))
    if current.ended_on is not None:
        raise ServiceError(_("The end of the rehabilitation is already recorded."))
    errors: dict[str, list[str]] = {}
    date_errors(ended_on, "ended_on", errors, not_before=current.started_on)
    core.raise_if_errors(errors)
    current.ended_on = ended_on
    current.save(update_fields=["ended_on"])
    meet_deadlines(subject=current, kinds=[Kind.REHABILITATION_END])
    _tell_siva(
        actor, organisation, current.suspicion, current, "state-funded social rehabilitation: end"
    )
    log_event("rehabilitation.ended", obj=current, details={"ended_on": str(ended_on)})
    return current
