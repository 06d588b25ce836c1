"""Permission-aware reads of findings and recommendations (issue 12 item 5).

The Office sees the findings and recommendations of its own missions, drafts and follow-up notes
included. The Border Guard unit addressed sees a recommendation once sent, with its finding;
never drafts, never the follow-up note, never the mission's observations or internal notes.
Outside scope: 404. Reads are audited where they are granted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.monitoring.models import SENT_STATUSES, Finding, Mission, Recommendation

READ = "monitoring.recommendation:read"
RECORD = "monitoring.mission:record"
OFFICE_READ = "monitoring.observation:read"


def is_office(actor: Actor, mission: Mission) -> bool:
    organisation = actor.organisation
    return organisation is not None and organisation.pk == mission.organisation_id


def recommendations_visible_to(actor: Actor) -> QuerySet[Recommendation]:
    """The Office: every recommendation of its missions. The Border Guard: those sent to it."""
    organisation = actor.organisation
    if organisation is None or not actor.can(READ):
        return Recommendation.objects.none()
    if organisation.type == OrganisationType.OMBUDSMAN:
        return Recommendation.objects.filter(finding__mission__organisation=organisation)
    if organisation.type == OrganisationType.BORDER_GUARD:
        return Recommendation.objects.filter(addressee=organisation, status__in=SENT_STATUSES)
    return Recommendation.objects.none()


def get_recommendation_for_user(actor: Actor, pk: int) -> Recommendation:
    """The recommendation ``pk`` if the actor may see it, else Http404; audited."""
    try:
        recommendation = (
            recommendations_visible_to(actor)
            .select_related("finding__mission__operation", "addressee")
            .get(pk=pk)
        )
    except Recommendation.DoesNotExist as exc:
        raise Http404 from exc
    log_event(
        "recommendation.viewed",
        obj=recommendation,
        details={"mission": recommendation.finding.mission_id},
    )
    return recommendation


def get_office_mission(actor: Actor, pk: int, *, audited: bool = True) -> Mission:
    """A mission of the actor's own Office, for its findings page (404 otherwise); audited
    unless the page shows nothing of it but its number (``audited=False``)."""
    organisation = actor.organisation
    if organisation is None or not actor.can(OFFICE_READ):
        raise Http404
    try:
        mission = Mission.objects.select_related("operation").get(pk=pk, organisation=organisation)
    except Mission.DoesNotExist as exc:
        raise Http404 from exc
    if audited:
        log_event("mission.findings_viewed", obj=mission, details={})
    return mission


def get_office_finding(actor: Actor, pk: int) -> Finding:
    organisation = actor.organisation
    if organisation is None or not actor.can(RECORD):
        raise Http404
    try:
        finding = Finding.objects.select_related("mission__operation").get(
            pk=pk, mission__organisation=organisation
        )
    except Finding.DoesNotExist as exc:
        raise Http404 from exc
    log_event("finding.viewed", obj=finding, details={"mission": finding.mission_id})
    return finding


def findings_of(mission: Mission) -> list[Finding]:
    return list(mission.findings.prefetch_related("recommendations").order_by("created_at", "pk"))


def overdue(recommendation: Recommendation, now: dt.datetime | None = None) -> bool:
    return (
        recommendation.status == Recommendation.Status.SENT
        and recommendation.response_due_at is not None
        and recommendation.response_due_at < (now or timezone.now())
    )
