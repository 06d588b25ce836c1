"""Follow-up reads, identification and configuration shared by the reflection-period pages.

The follow-up pages' reads built on their scope (``followup_suspicions_visible_to``, defined with
every other scope over a suspicion in ``referrals.visibility``), how and when the person was
identified (read from the tracks, never stored twice), whether the Law on the Residence of a
Victim of Trafficking applies, and the configured length and start event of the reflection period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.lib.errors import NotAllowed, ServiceError
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.visibility import followup_suspicions_visible_to
from atpazit.reflection.models import InformationSheet, ReflectionPeriod

RIGA = ZoneInfo("Europe/Riga")
# The reminder before the end comes this many days before the last day (day 25 of 30).
REMINDER_DAYS_BEFORE_END = 5
# --- scope (I6): followup_suspicions_visible_to is in referrals.visibility -------------------


def get_followup_suspicion(actor: Actor, pk: int, *, shown_on: str | None = None) -> Suspicion:
    """The suspicion with ``pk`` if it is in the actor's follow-up scope; Http404 otherwise.

    ``shown_on`` names the reflection page that shows it (its URL name); the read is then
    audited here as ``reflection.viewed`` with the page (I7). Aftercare's pages read it through
    ``aftercare.get_aftercare_case``, which audits ``aftercare.viewed``."""
    try:
        suspicion = followup_suspicions_visible_to(actor).get(pk=pk)
    except Suspicion.DoesNotExist as exc:
        raise Http404 from exc
    if shown_on is not None:
        log_event("reflection.viewed", obj=suspicion, details={"page": shown_on})
    return suspicion


def get_information_sheet_for_user(
    actor: Actor, pk: int, *, shown_on: str | None = None
) -> InformationSheet:
    """A sheet of a suspicion the actor may give sheets for; Http404 otherwise.

    ``shown_on`` names the page that shows the sheet's case (the receipt form); the read is
    then audited here as ``reflection.viewed`` of the suspicion, with the page and the sheet
    (I7). The download is audited by ``information_sheet_pdf``."""
    if not actor.can("referrals.information_sheet:generate"):
        raise Http404
    visible = followup_suspicions_visible_to(actor)
    try:
        sheet = InformationSheet.objects.select_related("suspicion__person", "handed_over_by").get(
            pk=pk, suspicion__in=visible
        )
    except InformationSheet.DoesNotExist as exc:
        raise Http404 from exc
    if shown_on is not None:
        details = {"page": shown_on, "sheet": sheet.pk}
        log_event("reflection.viewed", obj=sheet.suspicion, details=details)
    return sheet


def reflection_periods_visible_to(actor: Actor) -> QuerySet[ReflectionPeriod]:
    """Reflection periods of the suspicions in the actor's scope, ending soonest first."""
    if not actor.can("referrals.followup:read"):
        return ReflectionPeriod.objects.none()
    return (
        ReflectionPeriod.objects.filter(suspicion__in=followup_suspicions_visible_to(actor))
        .select_related("suspicion__person")
        .order_by("ends_on", "pk")
    )


def require_in_scope(actor: Actor, permission: str, suspicion: Suspicion) -> Organisation:
    """The actor's organisation, if the actor holds ``permission`` and ``suspicion`` is in their
    follow-up scope; NotAllowed otherwise. Every follow-up service starts here."""
    if not actor.can(permission) or actor.organisation is None:
        raise NotAllowed(_("Your role does not allow this."))
    if not followup_suspicions_visible_to(actor).filter(pk=suspicion.pk).exists():
        raise NotAllowed(_("Your role does not allow this."))
    return actor.organisation


# --- identification (read from the tracks; never stored twice) --------------------------------


@dataclass(frozen=True)
class Identification:
    """How and when the person was identified as a victim, and by which organisation."""

    route: str  # "provider_commission" or "criminal_proceedings"
    decided_on: dt.date
    organisation: Organisation

    @property
    def route_label(self) -> str:
        if self.route == "provider_commission":
            return _("commission of a service provider")
        return _("person directing the criminal proceedings")


def identification_of(suspicion: Suspicion) -> Identification | None:
    """The earliest recognition on any track, or None while nobody has identified the person.

    A track counts once its status is "recognised" (as in the derived identification status):
    the provider's commission (dated by its assessment) or the criminal-justice route (dated by
    the police decision).
    """
    found: list[Identification] = []
    referrals = suspicion.referrals.select_related(
        "to_organisation", "commission_assessment", "police_outcome"
    )
    for referral in referrals:
        identification = _identification_on(referral)
        if identification is not None:
            found.append(identification)
    return min(found, key=lambda i: i.decided_on) if found else None


def _identification_on(referral: Referral) -> Identification | None:
    # The same rule as the derived identification status: a track recognised the person.
    if referral.status != Referral.Status.RECOGNISED:
        return None
    day = timezone.localtime(referral.status_changed_at).date()
    if referral.track == Referral.Track.PROVIDER:
        assessment = getattr(referral, "commission_assessment", None)
        if assessment is not None:
            day = assessment.assessed_on
        return Identification("provider_commission", day, referral.to_organisation)
    outcome = getattr(referral, "police_outcome", None)
    if outcome is not None and outcome.decided_on is not None:
        day = outcome.decided_on
    return Identification("criminal_proceedings", day, referral.to_organisation)


def is_identified(suspicion: Suspicion) -> bool:
    """The derived identification status of the core flow says "identified"."""
    status = core.identification_status(suspicion)
    return bool(status.code == core.IdentificationStatus.IDENTIFIED)


# --- the law's reach and the configuration ------------------------------------------------------


def law_applies(person: Person) -> bool:
    """The Law on the Residence of a Victim of Trafficking does not apply to EU citizens."""
    return not core.is_eu_national(person)


def check_law_applies(person: Person) -> None:
    if not law_applies(person):
        raise ServiceError(
            _(
                "The Law on the Residence of a Victim of Trafficking does not apply to citizens of the European Union: no reflection period, and no information sheet about it."
            )
        )


def reflection_days() -> int:
    """ATPAZIT_REFLECTION_DAYS: the length of the period (30 under Latvian law)."""
    return int(settings.ATPAZIT_REFLECTION_DAYS)


def reflection_start_event() -> str:
    """ATPAZIT_REFLECTION_START_EVENT: "recognition" (Latvian law) or "reasonable_grounds"."""
    return str(settings.ATPAZIT_REFLECTION_START_EVENT)
