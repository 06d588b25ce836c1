"""Dashboard panels of the referral flow: what each role must act on now, soonest first."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.cases.models import Hold
from atpazit.lib.registry import Panel, PanelProvider
from atpazit.referrals.models import OPEN_STATUSES, Consent, Referral
from atpazit.referrals.selectors import (
    awaiting_rescreen,
    child_cases_visible_to,
    overdue_suspicions,
    referrals_visible_to,
    suspicions_visible_to,
    with_response_due,
)

PANEL_ROWS = 10
Status = Referral.Status


def _type(actor: Actor) -> str | None:
    return actor.organisation.type if actor.organisation is not None else None


def border_guard_panel(actor: Actor) -> Panel | None:
    """Suspicion holds to confirm, suspicions waiting for a consent decision or for referrals
    to be sent, and persons to screen again before a rescheduled removal."""
    if _type(actor) != OrganisationType.BORDER_GUARD or not actor.can("referrals.suspicion:read"):
        return None
    organisation = actor.organisation
    suspicions = (
        suspicions_visible_to(actor).filter(closed_at__isnull=True).select_related("person", "hold")
    )
    to_confirm = suspicions.filter(
        person__organisation=organisation,
        hold__in=Hold.objects.active().filter(confirmed_at__isnull=True),
    ).order_by("raised_at")
    ours = suspicions.filter(raised_by_organisation=organisation)
    any_track = Referral.objects.filter(suspicion=OuterRef("pk"))
    any_consent = Consent.objects.filter(suspicion=OuterRef("pk"))
    in_force = any_consent.filter(decision=Consent.Decision.GIVEN, withdrawn_at__isnull=True)
    awaiting_consent = (
        ours.filter(child_path=False).exclude(Exists(any_consent)).order_by("raised_at")
    )
    awaiting_sending = (
        ours.exclude(Exists(any_track))
        .filter(Q(Exists(in_force)) | Q(child_path=True))
        .order_by("raised_at")
    )
    rescreen = (
        awaiting_rescreen(suspicions_visible_to(actor).filter(person__organisation=organisation))
        .select_related("person")
        .order_by("-rescreen_required_since")
    )
    context = {
        "to_confirm": list(to_confirm[:PANEL_ROWS]),
        "awaiting_consent": list(awaiting_consent[:PANEL_ROWS]),
        "awaiting_sending": list(awaiting_sending[:PANEL_ROWS]),
        "rescreen": list(rescreen[:PANEL_ROWS]),
    }
    if not any(context.values()):
        return None
    return Panel(
        _("Suspicions of trafficking: act now"), "referrals/panels/border_guard.html", context
    )


def receiver_panel(actor: Actor) -> Panel | None:
    """A provider or the police: referrals to accept or decline (by deadline), and those
    accepted or under assessment (the assessments to hold)."""
    if _type(actor) not in (OrganisationType.SERVICE_PROVIDER, OrganisationType.POLICE):
        return None
    if not actor.can("referrals.referral:read"):
        return None
    referrals = with_response_due(referrals_visible_to(actor)).select_related("suspicion__person")
    to_answer = referrals.filter(status=Status.SENT).order_by(
        F("response_due").asc(nulls_last=True), "sent_at"
    )
    in_progress = referrals.filter(status__in=[Status.ACCEPTED, Status.ASSESSING]).order_by(
        "sent_at"
    )
    to_answer_count = to_answer.count()
    context = {
        "to_answer": list(to_answer[:PANEL_ROWS]),
        "to_answer_count": to_answer_count,
        "in_progress": list(in_progress[:PANEL_ROWS]),
        "in_progress_count": in_progress.count(),
        "now": timezone.now(),
        "police": _type(actor) == OrganisationType.POLICE,
    }
    return Panel(
        _("Referrals to act on"),
        "referrals/panels/receiver.html",
        context,
        count=to_answer_count,
    )


def orphans_court_panel(actor: Actor) -> Panel | None:
    """Open child cases the orphan's court was given notice of, oldest first."""
    if not actor.can("referrals.child:read"):
        return None
    cases = (
        child_cases_visible_to(actor)
        .filter(closed_at__isnull=True)
        .select_related("person", "hold")
        .order_by("raised_at")
    )
    context = {"cases": list(cases[:PANEL_ROWS]), "count": cases.count()}
    return Panel(
        _("Possible child victims: guardian's attention"),
        "referrals/panels/orphans_court.html",
        context,
    )


def ombudsman_panel(actor: Actor) -> Panel | None:
    """Suspicions with an overdue hold confirmation or referral answer, most overdue first
    (the escalations themselves are on the escalations panel)."""
    if _type(actor) != OrganisationType.OMBUDSMAN or not actor.can("referrals.suspicion:read"):
        return None
    open_count = suspicions_visible_to(actor).filter(closed_at__isnull=True).count()
    tracks_open = referrals_visible_to(actor).filter(status__in=OPEN_STATUSES).count()
    context = {
        "overdue": overdue_suspicions(actor, limit=PANEL_ROWS),
        "open_count": open_count,
        "tracks_open": tracks_open,
        "now": timezone.now(),
    }
    return Panel(
        _("Suspicions of trafficking: overdue"), "referrals/panels/ombudsman.html", context
    )


PROVIDERS: list[PanelProvider] = [
    border_guard_panel,
    receiver_panel,
    orphans_court_panel,
    ombudsman_panel,
]
