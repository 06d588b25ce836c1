"""Permission-aware reads of findings and recommendations (issue 12 item 5).

The Office sees the findings and recommendations of its own missions, drafts and follow-up notes
included. The Border Guard unit addressed sees a recommendation once sent, with its finding;
never drafts, never the follow-up note, never the mission's observations or internal notes.
Outside scope: 404. Reads are audited where they are granted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.monitoring.models import SENT_STATUSES, Finding, Mission, Recommendation, Stage

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
    """The mission's findings, withdrawn ones included (the page marks them), each with its
    text as shown (``shown_text``) and its heading (``shown_heading``) in the active language."""
    rows = list(mission.findings.prefetch_related("recommendations").order_by("created_at", "pk"))
    for finding in rows:
        finding.shown_text = finding_text(finding)  # type: ignore[attr-defined]
        finding.shown_heading = finding_heading(finding)  # type: ignore[attr-defined]
        # Still the Office's own: it may be changed or withdrawn.
        finding.is_open = finding.withdrawn_at is None and not any(  # type: ignore[attr-defined]
            recommendation.status in SENT_STATUSES
            for recommendation in finding.recommendations.all()
        )
    return rows


def finding_heading(finding: Finding) -> str:
    """ "F-3 · pre-departure · use of force", or the kind of a finding drafted from the records
    in place of its category."""
    kind = finding.get_code_display() if finding.code else finding.get_category_display()
    return f"{finding} · {finding.get_stage_display()} · {kind}"


def finding_text(finding: Finding) -> str:
    """The finding as the reader reads it, in the active language. A finding written by a
    monitor is its text. One drafted from the records is rendered from its code and details
    (case numbers and stage labels through gettext, never names), then the Office's note."""
    if finding.code != Finding.Code.D9_SCREENING_MISSING:
        return finding.text
    lines = _d9_lines(finding.details)
    if finding.text:
        lines.append(_("Note of the Office: %(note)s") % {"note": finding.text})
    return "\n".join(lines)


def _d9_lines(details: dict[str, Any]) -> list[str]:
    returnees = details.get("returnees", [])
    resolved = details.get("resolved", [])
    ids = {entry["person"] for entry in returnees} | set(resolved)
    cases = dict(Person.objects.filter(pk__in=ids).values_list("pk", "case_number"))
    lines = []
    if returnees:
        total = details.get("on_manifest", len(returnees))
        lines.append(
            ngettext(
                "%(n)s of the %(total)s returnees on the manifest lacks a decided screening for "
                "trafficking indicators at pre-return or pre-departure (rule D9):",
                "%(n)s of the %(total)s returnees on the manifest lack a decided screening for "
                "trafficking indicators at pre-return or pre-departure (rule D9):",
                len(returnees),
            )
            % {"n": len(returnees), "total": total}
        )
        for entry in returnees:
            stages = ", ".join(str(Stage(stage).label) for stage in entry["missing"])
            lines.append(
                _("%(case)s: not screened at %(stages)s")
                % {"case": cases.get(entry["person"], "—"), "stages": stages}
            )
    else:
        lines.append(
            _(
                "No returnee on the manifest lacks a screening at pre-return or pre-departure "
                "any more (rule D9)."
            )
        )
    if resolved:
        lines.append(
            _("Screened since, or taken off the manifest: %(cases)s.")
            % {"cases": ", ".join(cases.get(pk, "—") for pk in resolved)}
        )
    return lines


def overdue(recommendation: Recommendation, now: dt.datetime | None = None) -> bool:
    return (
        recommendation.status == Recommendation.Status.SENT
        and recommendation.response_due_at is not None
        and recommendation.response_due_at < (now or timezone.now())
    )
