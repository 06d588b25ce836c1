"""Writes and reads of findings and recommendations to the Border Guard (issue 12 item 5).

The flow (``RECOMMENDATION_TRANSITIONS`` in models.py):

- a monitor of the Office records a **finding** of a mission (stage, category, text) and drafts
  **recommendations** on it (``monitoring.mission:record``);
- the head of monitoring approves and **sends** a draft (``monitoring.recommendation:send``): it
  is addressed to the Border Guard unit running the operation, and its response deadline opens
  (``deadlines`` kind ``recommendation_response``, 30 calendar days by default, changed with
  ``ATPAZIT_DEADLINES = {"recommendation_response": {"calendar_days": N}}``). The deadline
  sweep (``atpazit tick``) escalates an unanswered one to the Ombudsman;
- the Border Guard unit **answers** (``monitoring.recommendation:respond``): accepted, partly
  accepted or rejected, with reasons, the actions it will take and by when; the deadline is met;
- the Office **follows up** and closes it as implemented or not implemented.

Who sees what: ``findings_selectors.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.deadlines.rules import Kind as DeadlineKind
from atpazit.deadlines.services import cancel_deadlines, meet_deadlines, open_deadline
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, InvalidTransition, NotAllowed
from atpazit.monitoring.findings_selectors import is_office
from atpazit.monitoring.models import (
    SENT_STATUSES,
    Finding,
    Mission,
    MonitoringReport,
    Observation,
    Recommendation,
    RecommendationStatusChange,
    Stage,
)
from atpazit.monitoring.selectors import ScreeningCheck
from atpazit.notifications.services import notify

RECORD = "monitoring.mission:record"
SEND = "monitoring.recommendation:send"
RESPOND = "monitoring.recommendation:respond"

# Missions on which findings may be recorded: under way or done (not planned or cancelled).
FINDING_MISSION_STATUSES = frozenset({Mission.Status.IN_PROGRESS, Mission.Status.COMPLETED})
FOLLOW_UP_OUTCOMES = frozenset(
    {
        Recommendation.Status.FOLLOW_UP,
        Recommendation.Status.IMPLEMENTED,
        Recommendation.Status.NOT_IMPLEMENTED,
    }
)


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def record_finding(
    *, actor: Actor, mission: Mission, stage: str, category: str, text: str
) -> Finding:
    """A finding of a mission under way or done. Needs ``monitoring.mission:record`` in the
    mission's Office. Raises NotAllowed or InvalidInput (naming the field)."""
    if not actor.can(RECORD) or not is_office(actor, mission):
        raise NotAllowed(_("Your role does not allow this."))
    errors: dict[str, list[str]] = {}
    if mission.status not in FINDING_MISSION_STATUSES:
        errors["__all__"] = [_("Findings are recorded on a mission under way or completed.")]
    if stage not in Stage.values:
        errors["stage"] = [_("Choose the stage of the finding.")]
    if category not in Observation.Category.values:
        errors["category"] = [_("Choose the category of the finding.")]
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write the finding.")]
    if errors:
        raise InvalidInput(errors)
    finding = Finding.objects.create(
        mission=mission, stage=stage, category=category, text=text, created_by=actor.user
    )
    log_event(
        "finding.recorded",
        obj=finding,
        details={"mission": mission.pk, "stage": stage, "category": category},
    )
    return finding


@transaction.atomic
def draft_recommendation(*, actor: Actor, finding: Finding, text: str) -> Recommendation:
    """A draft recommendation on a finding (a monitor drafts; the head of monitoring sends)."""
    if not actor.can(RECORD) or not is_office(actor, finding.mission):
        raise NotAllowed(_("Your role does not allow this."))
    if finding.withdrawn_at is not None:
        raise InvalidTransition(_("This finding was withdrawn."))
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": [_("Write the recommendation.")]})
    recommendation = Recommendation.objects.create(
        finding=finding, text=text, drafted_by=actor.user
    )
    log_event(
        "recommendation.drafted",
        obj=recommendation,
        details={"finding": finding.pk, "mission": finding.mission_id},
    )
    return recommendation


@transaction.atomic
def send_recommendation(
    *, actor: Actor, recommendation: Recommendation, version: int
) -> Recommendation:
    """The head of monitoring approves a draft and sends it to the Border Guard unit running
    the operation; its response deadline opens. Raises NotAllowed, ConcurrentEdit (changed
    since the page was loaded) or InvalidTransition (not a draft)."""
    current = _locked(recommendation)
    mission = current.finding.mission
    if not actor.can(SEND) or not is_office(actor, mission):
        raise NotAllowed(_("Only the head of monitoring sends recommendations."))
    _check_version(current, version)
    _move(actor, current, Recommendation.Status.SENT)
    now = timezone.now()
    addressee = mission.operation.organisation
    current.sent_by = actor.user
    current.sent_at = now
    current.addressee = addressee
    link = reverse("monitoring_findings:recommendation_detail", kwargs={"pk": current.pk})
    deadline = open_deadline(
        kind=DeadlineKind.RECOMMENDATION_RESPONSE,
        subject=current,
        responsible_organisation=addressee,
        case_number=f"R-{current.pk}",
        link=link,
        starts_at=now,
    )
    current.response_due_at = deadline.due_at
    current.save(
        update_fields=[
            "status",
            "sent_by",
            "sent_at",
            "addressee",
            "response_due_at",
            "version",
        ]
    )
    notify(
        organisation=addressee,
        kind="monitoring.recommendation_sent",
        link=link,
        permission=RESPOND,
    )
    log_event(
        "recommendation.sent",
        obj=current,
        details={"addressee": addressee.pk, "due": deadline.due_at.isoformat()},
    )
    return current


@transaction.atomic
def respond_to_recommendation(
    *,
    actor: Actor,
    recommendation: Recommendation,
    version: int,
    response: str,
    reasons: str,
    actions: str,
    actions_due: dt.date | None = None,
) -> Recommendation:
    """The Border Guard unit addressed answers: accepted, partly accepted or rejected, with
    reasons; the actions it will take (and by when) unless it rejects. Meets the deadline."""
    current = _locked(recommendation)
    organisation = actor.organisation
    if (
        not actor.can(RESPOND)
        or organisation is None
        or current.addressee_id != organisation.pk
        or current.status not in SENT_STATUSES
    ):
        raise NotAllowed(_("Your role does not allow this."))
    _check_version(current, version)
    errors: dict[str, list[str]] = {}
    if response not in Recommendation.Response.values:
        errors["response"] = [_("Choose whether the recommendation is accepted.")]
    reasons = (reasons or "").strip()
    actions = (actions or "").strip()
    if not reasons:
        errors["reasons"] = [_("Give the reasons for the response.")]
    accepted = response in (Recommendation.Response.ACCEPTED, Recommendation.Response.PARTLY)
    if accepted and not actions:
        errors["actions"] = [_("Say what will be done about the recommendation.")]
    if actions_due is not None and actions_due < timezone.localdate():
        errors["actions_due"] = [_("The date for the actions cannot be in the past.")]
    if errors:
        raise InvalidInput(errors)
    _move(actor, current, Recommendation.Status.ANSWERED)
    current.response = response
    current.response_reasons = reasons
    current.response_actions = actions
    current.actions_due = actions_due
    current.responded_by = actor.user
    current.responded_at = timezone.now()
    current.save()
    meet_deadlines(subject=current, kinds=[DeadlineKind.RECOMMENDATION_RESPONSE])
    notify(
        organisation=current.finding.mission.organisation,
        kind="monitoring.recommendation_answered",
        link=reverse("monitoring_findings:recommendation_detail", kwargs={"pk": current.pk}),
        permission=SEND,
    )
    log_event(
        "recommendation.answered",
        obj=current,
        details={"response": response, "late": current.responded_at > current.response_due_at}
        if current.response_due_at
        else {"response": response},
    )
    return current


@transaction.atomic
def follow_up_recommendation(
    *, actor: Actor, recommendation: Recommendation, version: int, status: str, note: str
) -> Recommendation:
    """The head of monitoring records the follow-up of an answered recommendation: still under
    follow-up, implemented or not implemented, with the Office's own note."""
    current = _locked(recommendation)
    if not actor.can(SEND) or not is_office(actor, current.finding.mission):
        raise NotAllowed(_("Only the head of monitoring records the follow-up."))
    _check_version(current, version)
    if status not in FOLLOW_UP_OUTCOMES:
        raise InvalidInput({"status": [_("Choose the follow-up status.")]})
    note = (note or "").strip()
    if not note:
        raise InvalidInput({"note": [_("Write what the follow-up found.")]})
    _move(actor, current, Recommendation.Status(status))
    current.follow_up_note = note
    current.save(update_fields=["status", "follow_up_note", "version"])
    log_event("recommendation.followed_up", obj=current, details={"status": status})
    return current


@transaction.atomic
def withdraw_recommendation(
    *, actor: Actor, recommendation: Recommendation, version: int
) -> Recommendation:
    """The head of monitoring withdraws a draft or an unanswered recommendation; the response
    deadline stops."""
    current = _locked(recommendation)
    if not actor.can(SEND) or not is_office(actor, current.finding.mission):
        raise NotAllowed(_("Only the head of monitoring withdraws recommendations."))
    _check_version(current, version)
    _move(actor, current, Recommendation.Status.WITHDRAWN)
    current.save(update_fields=["status", "version"])
    cancel_deadlines(subject=current, kinds=[DeadlineKind.RECOMMENDATION_RESPONSE])
    log_event("recommendation.withdrawn", obj=current, details={})
    return current


# --- the Office changes or withdraws a finding before a recommendation of it is sent ----------


def _locked_finding(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("mission__operation")
        .get(pk=finding.pk)
    )


def _still_the_offices(finding: Finding) -> None:
    """A finding may change only while it is the Office's own: not withdrawn, none of its
    recommendations sent to the Border Guard."""
    if finding.withdrawn_at is not None:
        raise InvalidTransition(_("This finding was withdrawn."))
    if finding.recommendations.filter(status__in=SENT_STATUSES).exists():
        raise InvalidTransition(
            _("A recommendation of this finding was sent; the finding can no longer change.")
        )


def _check_finding_version(current: Finding, version: int) -> None:
    if current.version != version:
        raise ConcurrentEdit(
            _("The finding was changed by someone else meanwhile; nothing was saved.")
        )


@transaction.atomic
def update_finding(*, actor: Actor, finding: Finding, version: int, text: str) -> Finding:
    """Change the text of a finding while it is the Office's own (a monitor or the head of
    monitoring of the Office). For a finding drafted from the records the text is the Office's
    note beside the sentence rendered from its code, which nobody edits, and may be empty."""
    current = _locked_finding(finding)
    if not actor.can(RECORD) or not is_office(actor, current.mission):
        raise NotAllowed(_("Your role does not allow this."))
    _check_finding_version(current, version)
    _still_the_offices(current)
    text = (text or "").strip()
    if not text and not current.code:
        raise InvalidInput({"text": [_("Write the finding.")]})
    current.text = text
    current.version += 1
    current.save(update_fields=["text", "version"])
    log_event(
        "finding.updated",
        obj=current,
        details={"mission": current.mission_id, "code": current.code, "empty": not text},
    )
    return current


@transaction.atomic
def withdraw_finding(*, actor: Actor, finding: Finding, version: int) -> Finding:
    """The head of monitoring withdraws a finding that is still the Office's own, with its draft
    recommendations. A withdrawn finding is in no report and no count; one drafted from the
    records is not drafted again for the mission (the checklist answer still shows the gap)."""
    current = _locked_finding(finding)
    if not actor.can(SEND) or not is_office(actor, current.mission):
        raise NotAllowed(_("Only the head of monitoring withdraws findings."))
    _check_finding_version(current, version)
    _still_the_offices(current)
    for draft in current.recommendations.select_for_update().filter(
        status=Recommendation.Status.DRAFT
    ):
        _move(actor, draft, Recommendation.Status.WITHDRAWN)
        draft.save(update_fields=["status", "version"])
        log_event("recommendation.withdrawn", obj=draft, details={"with_finding": current.pk})
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = actor.user
    current.version += 1
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "version"])
    log_event(
        "finding.withdrawn",
        obj=current,
        details={"mission": current.mission_id, "code": current.code},
    )
    return current


# --- rule D9's finding, drafted from the records (ADR 0022) -----------------------------------


def _d9_details(check: ScreeningCheck, before: dict[str, Any]) -> dict[str, Any]:
    returnees = [
        {"person": row.person.pk, "missing": list(row.missing)} for row in check.not_screened
    ]
    missing = {entry["person"] for entry in returnees}
    listed = {entry["person"] for entry in before.get("returnees", [])}
    listed |= set(before.get("resolved", []))
    return {
        "returnees": returnees,
        "on_manifest": len(check.rows),
        "resolved": sorted(listed - missing),
    }


def _d9_frozen(finding: Finding) -> bool:
    """The records no longer change the finding once the Office has acted on it: withdrawn, a
    recommendation of it sent, or a report of the mission approved or published."""
    return (
        finding.withdrawn_at is not None
        or finding.recommendations.filter(status__in=SENT_STATUSES).exists()
        or finding.mission.reports.exclude(status=MonitoringReport.Status.DRAFT).exists()
    )


def sync_d9_finding(*, actor: Actor, mission: Mission, check: ScreeningCheck) -> Finding | None:
    """Rule D9: "missing → monitoring finding". Called by the recording services, in their
    transaction with the mission row locked, each time the automatic D9 answer is recorded
    (the pre-departure stage's times or checklist, the mission's completion). On a mission
    under way or completed:

    - returnees not screened at both stages and no D9 finding yet: it is drafted, as the code
      ``d9_screening_missing`` with the person ids and the stages each lacks;
    - a D9 finding the Office has not acted on (``_d9_frozen``): it is brought up to date —
      returnees put on the manifest late are added, those screened since or taken off the
      manifest move to ``resolved``. If nobody lacks a screening any more, it stays and says so
      (the head of monitoring decides whether to withdraw it);
    - otherwise nothing changes. Recording again never makes a second finding.
    """
    if mission.status not in FINDING_MISSION_STATUSES:
        return None
    code = Finding.Code.D9_SCREENING_MISSING
    finding = (
        Finding.objects.select_for_update(of=("self",)).filter(mission=mission, code=code).first()
    )
    if finding is None:
        if not check.not_screened:
            return None
        finding = Finding.objects.create(
            mission=mission,
            stage=Stage.PRE_DEPARTURE,
            category=Observation.Category.TRAFFICKING,
            code=code,
            text="",
            details=_d9_details(check, {}),
            created_by=actor.user,
        )
        log_event(
            "finding.drafted_from_records",
            obj=finding,
            details={
                "mission": mission.pk,
                "code": code.value,
                "persons": [entry["person"] for entry in finding.details["returnees"]],
                "on_manifest": finding.details["on_manifest"],
            },
        )
        return finding
    if _d9_frozen(finding):
        return finding
    details = _d9_details(check, finding.details)
    if details == finding.details:
        return finding
    finding.details = details
    finding.version += 1
    finding.save(update_fields=["details", "version"])
    log_event(
        "finding.updated_from_records",
        obj=finding,
        details={
            "mission": mission.pk,
            "code": code.value,
            "persons": [entry["person"] for entry in details["returnees"]],
            "resolved": details["resolved"],
            "on_manifest": details["on_manifest"],
        },
    )
    return finding


def _locked(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("finding__mission__operation__organisation", "finding__mission")
        .get(pk=recommendation.pk)
    )


def _check_version(current: Recommendation, version: int) -> None:
    if current.version != version:
        raise ConcurrentEdit(
            _("The recommendation was changed by someone else meanwhile; nothing was saved.")
        )


def _move(actor: Actor, current: Recommendation, to: Recommendation.Status) -> None:
    if not current.can_become(to):
        raise InvalidTransition(
            _("A recommendation that is %(status)s cannot become %(to)s.")
            % {"status": current.get_status_display(), "to": to.label}
        )
    RecommendationStatusChange.objects.create(
        recommendation=current, from_status=current.status, to_status=to, changed_by=actor.user
    )
    current.status = to
    current.version += 1
