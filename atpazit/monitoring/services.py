"""Every write of forced-return monitoring (DESIGN.md §3 step 8, issue 12).

Keyword-only, typed, atomic, audited with codes only. Who may do what:

- the head of monitoring (``monitoring.mission:plan``) of the Ombudsman's Office plans a mission
  for a removal operation, assigns monitors, records the Border Guard's notice, announces the
  mission to the unit running the operation, and cancels it;
- a monitor assigned to the mission (``monitoring.mission:record``) records the stages' actual
  times, answers the checklist, records observations, asks the escort leader to take a person
  off the manifest, and from an observation about a person opens a screening or raises a
  suspicion (through the screening and referral services, unchanged);
- a case officer of the Border Guard unit running the operation, or the operation's escort
  leader (``monitoring.removal_request:answer``, ``selectors.may_answer``), answers such a
  request; accepting takes the person off the manifest through the removals service in the same
  transaction.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import OrganisationType, Role
from atpazit.audit.services import log_event
from atpazit.cases.models import Person
from atpazit.escalations.models import Escalation
from atpazit.escalations.services import raise_escalation
from atpazit.lib.errors import (
    ConcurrentEdit,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ServiceError,
)
from atpazit.monitoring import checklists, findings, indicators
from atpazit.monitoring.models import (
    OPEN_STATUSES,
    RECORDING_STATUSES,
    ChecklistAnswer,
    Mission,
    MissionStage,
    MissionStatusChange,
    MonitoringReport,
    Observation,
    ObservationRevision,
    RemovalRequest,
    Stage,
)
from atpazit.monitoring.selectors import (
    PLAN,
    RECORD,
    REPORTED,
    ScreeningCheck,
    is_assigned,
    is_office,
    may_answer,
    screening_check,
)
from atpazit.notifications.services import notify, notify_user
from atpazit.referrals import services as referral_services
from atpazit.referrals.models import Suspicion
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.selectors import WRITE as MANIFEST_WRITE
from atpazit.removals.selectors import operations_visible_to
from atpazit.removals.services import remove_from_manifest
from atpazit.screening import services as screening_services
from atpazit.screening.models import ScreeningSession
from atpazit.screening.services import SessionSetup

# A notice shorter than ATPAZIT_MONITORING_NOTICE_HOURS: an escalation to the Office, the head
# of monitoring told (issue 12 item 1).
LATE_NOTICE_SUMMARY = "monitoring.notice_late"
LATE_NOTICE_KIND = "monitoring.notice_late"

# Signs of trafficking whose screening advice cannot wait (issue 12 item 9).
ALERT_KIND = "monitoring.trafficking_signs"
ALERT_SUMMARY = "monitoring.trafficking_signs_on_manifest"

MONITOR_ROLES = frozenset({Role.MONITOR, Role.HEAD_OF_MONITORING})
MAX_TEXT = 4000


# --- common checks ----------------------------------------------------------------------------


def _office(actor: Actor, permission: str) -> Organisation:
    """The actor's Ombudsman's Office, if the actor holds ``permission`` in it."""
    organisation = actor.organisation
    if (
        organisation is None
        or organisation.type != OrganisationType.OMBUDSMAN
        or not actor.can(permission)
    ):
        raise NotAllowed(_("Your role does not allow this."))
    return organisation


def _planner(actor: Actor, mission: Mission) -> None:
    if mission.organisation_id != _office(actor, PLAN).pk:
        raise NotAllowed(_("Your role does not allow this."))


def _recorder(actor: Actor, mission: Mission) -> None:
    """Only a monitor assigned to the mission records it, and only while it runs."""
    _office(actor, RECORD)
    if not is_assigned(actor, mission):
        raise NotAllowed(_("Only the monitors assigned to this mission can record it."))
    if mission.status not in RECORDING_STATUSES:
        raise ServiceError(
            _("The mission is “%(status)s”; nothing more can be recorded on it.")
            % {"status": mission.get_status_display()},
            code="not_recording",
        )


def _locked(mission: Mission) -> Mission:
    return Mission.objects.select_for_update().select_related("operation").get(pk=mission.pk)


def _check_version(mission: Mission, version: int | None) -> None:
    if version is not None and mission.version != version:
        raise ConcurrentEdit(
            _(
                "Someone else changed this mission while you were editing it, so your changes "
                "were not saved. Check the mission as it is now and save again."
            )
        )


def _clean(text: str) -> str:
    return (text or "").strip()


def _link(name: str, *args: object) -> str:
    return reverse(name, args=args)


def _move(actor: Actor, mission: Mission, to: Mission.Status) -> None:
    if not mission.can_become(to):
        raise InvalidTransition(
            _("A mission that is “%(status)s” cannot become “%(to)s”.")
            % {"status": mission.get_status_display(), "to": to.label}
        )
    MissionStatusChange.objects.create(
        mission=mission, from_status=mission.status, to_status=to, changed_by=actor.user
    )
    mission.status = to
    mission.version += 1
    mission.save(update_fields=["status", "version", "updated_at"])


# --- planning (head of monitoring) --------------------------------------------------------------


@dataclass(frozen=True)
class StagePlan:
    stage: str
    planned_start: datetime.datetime | None = None
    planned_end: datetime.datetime | None = None


def _monitor_errors(actor: Actor, monitors: Iterable[User]) -> tuple[list[User], list[str]]:
    chosen = list({user.pk: user for user in monitors}.values())
    if not chosen:
        return chosen, [_("Assign at least one monitor.")]
    members = set(
        Membership.objects.filter(
            organisation=actor.organisation,
            role__in=MONITOR_ROLES,
            is_active=True,
            user__in=chosen,
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in members for user in chosen):
        return chosen, [_("Only monitors of your office can be assigned.")]
    return chosen, []


def _stage_errors(stages: list[StagePlan]) -> list[str]:
    if not stages:
        return [_("Choose at least one stage to cover.")]
    names = [plan.stage for plan in stages]
    if len(set(names)) != len(names) or any(name not in Stage.values for name in names):
        return [_("Choose each stage once, from the list.")]
    for plan in stages:
        if plan.planned_start and plan.planned_end and plan.planned_end < plan.planned_start:
            return [
                _("The planned end of “%(stage)s” is before its start.")
                % {"stage": Stage(plan.stage).label}
            ]
    return []


def plan_mission(
    *,
    actor: Actor,
    operation: RemovalOperation,
    monitors: Iterable[User],
    stages: list[StagePlan],
    informed_at: datetime.datetime | None = None,
) -> Mission:
    """Plan the monitoring of ``operation``: who goes, which stages, and (if known) when the
    Border Guard informed the Office. The mission gets the newest checklist release and keeps
    it (ADR 0016). One open mission per operation and office. Needs the head of monitoring's
    ``monitoring.mission:plan``; the operation must be visible and open.
    Raises NotAllowed, InvalidInput (by field), ServiceError (already planned, closed)."""
    office = _office(actor, PLAN)
    with transaction.atomic():
        try:
            locked = operations_visible_to(actor).select_for_update().get(pk=operation.pk)
        except RemovalOperation.DoesNotExist as exc:
            raise NotAllowed(_("Your role does not allow this.")) from exc
        if not locked.manifest_is_open:
            raise ServiceError(
                _("The operation is “%(status)s”; it can no longer be monitored.")
                % {"status": locked.get_status_display()},
                code="operation_closed",
            )
        chosen, monitor_errors = _monitor_errors(actor, monitors)
        errors = {"monitors": monitor_errors, "stages": _stage_errors(stages)}
        errors.update(_notice_errors(informed_at, locked))
        errors = {field: messages for field, messages in errors.items() if messages}
        if errors:
            raise InvalidInput(errors)
        if Mission.objects.filter(
            operation=locked, organisation=office, status__in=OPEN_STATUSES
        ).exists():
            raise ServiceError(
                _("Your office already has an open mission for this operation."),
                code="already_planned",
            )
        mission = Mission.objects.create(
            operation=locked,
            organisation=office,
            planned_by=actor.user,
            checklist_version=checklists.current_version(),
        )
        mission.monitors.set(chosen)
        _set_stages(mission, stages)
        if informed_at is not None:
            _apply_notice(mission, informed_at)
            mission.save()
        log_event(
            "mission.planned",
            obj=mission,
            details={
                "operation": locked.pk,
                "monitors": sorted(user.pk for user in chosen),
                "stages": [plan.stage for plan in stages],
                "checklist": mission.checklist_version,
                "in_time": mission.informed_in_time,
            },
        )
        _escalate_late_notice(actor, mission)
        _tell_monitors(mission, chosen, "monitoring.mission_assigned")
    return mission


def _set_stages(mission: Mission, stages: list[StagePlan]) -> None:
    wanted = {plan.stage: plan for plan in stages}
    existing = {row.stage: row for row in mission.stages.all()}
    for name, row in existing.items():
        if name not in wanted:
            if row.answers.exists() or row.observations.exists() or row.actual_start:
                raise ServiceError(
                    _("“%(stage)s” already has records; it cannot be taken off the mission.")
                    % {"stage": Stage(name).label},
                    code="stage_recorded",
                )
            row.delete()
    for name, plan in wanted.items():
        row = existing.get(name) or MissionStage(mission=mission, stage=name)
        row.planned_start, row.planned_end = plan.planned_start, plan.planned_end
        row.save()


def _tell_monitors(mission: Mission, monitors: Iterable[User], kind: str) -> None:
    """An in-app notification to each of these monitors (no e-mail: it names the mission)."""
    link = _link("monitoring:mission_detail", mission.pk)
    for user in monitors:
        notify_user(user=user, organisation=mission.organisation, kind=kind, link=link)


def update_plan(
    *,
    actor: Actor,
    mission: Mission,
    monitors: Iterable[User],
    stages: list[StagePlan],
    version: int,
) -> Mission:
    """Change who goes and which stages are covered (planned times included) of an open
    mission. A stage with records stays. Raises NotAllowed, InvalidInput, ConcurrentEdit."""
    _planner(actor, mission)
    with transaction.atomic():
        locked = _locked(mission)
        _check_version(locked, version)
        if locked.status not in OPEN_STATUSES:
            raise ServiceError(_("This mission has ended; its plan can no longer change."))
        chosen, monitor_errors = _monitor_errors(actor, monitors)
        errors = {"monitors": monitor_errors, "stages": _stage_errors(stages)}
        errors = {field: messages for field, messages in errors.items() if messages}
        if errors:
            raise InvalidInput(errors)
        before = set(locked.monitors.values_list("pk", flat=True))
        locked.monitors.set(chosen)
        _set_stages(locked, stages)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        log_event(
            "mission.plan_changed",
            obj=locked,
            details={
                "monitors": sorted(user.pk for user in chosen),
                "stages": [plan.stage for plan in stages],
            },
        )
        added = [user for user in chosen if user.pk not in before]
        _tell_monitors(locked, added, "monitoring.mission_assigned")
    return locked


def _notice_errors(
    informed_at: datetime.datetime | None, operation: RemovalOperation
) -> dict[str, list[str]]:
    if informed_at is None:
        return {}
    if informed_at > timezone.now() + datetime.timedelta(minutes=5):
        return {"informed_at": [_("The time the office was informed cannot be in the future.")]}
    if informed_at > operation.departure_at:
        return {"informed_at": [_("The office cannot have been informed after the departure.")]}
    return {}


def _apply_notice(mission: Mission, informed_at: datetime.datetime) -> None:
    required = int(settings.ATPAZIT_MONITORING_NOTICE_HOURS)
    hours = int((mission.operation.departure_at - informed_at).total_seconds() // 3600)
    mission.informed_at = informed_at
    mission.notice_hours = max(hours, 0)
    mission.required_notice_hours = required
    mission.informed_in_time = hours >= required


def record_notice(
    *, actor: Actor, mission: Mission, informed_at: datetime.datetime, version: int
) -> Mission:
    """Record when the Border Guard informed the Office of the operation: the notice period it
    gave (hours before departure) and whether that was in time against
    ``ATPAZIT_MONITORING_NOTICE_HOURS`` as it is now (kept with the mission)."""
    _planner(actor, mission)
    with transaction.atomic():
        locked = _locked(mission)
        _check_version(locked, version)
        errors = _notice_errors(informed_at, locked.operation)
        if errors:
            raise InvalidInput(errors)
        _apply_notice(locked, informed_at)
        locked.version += 1
        locked.save()
        log_event(
            "mission.notice_recorded",
            obj=locked,
            details={
                "notice_hours": locked.notice_hours,
                "required_hours": locked.required_notice_hours,
                "in_time": locked.informed_in_time,
            },
        )
        _escalate_late_notice(actor, locked)
    return locked


def _escalate_late_notice(actor: Actor, mission: Mission) -> Escalation | None:
    """A notice shorter than required is not a detail of the mission: it is escalated to the
    Ombudsman's Office (an escalation of kind "monitoring notice given late", the Border Guard
    unit responsible) and the office's head of monitoring is told, once per mission — a
    corrected time that is still late adds nothing, one that is in time leaves the escalation
    for the Office to resolve with a note. Returns the new escalation, or None."""
    if mission.informed_in_time is not False:
        return None
    subject = f"{mission._meta.label_lower}:{mission.pk}"
    if Escalation.objects.filter(subject=subject, summary_code=LATE_NOTICE_SUMMARY).exists():
        return None
    escalation = raise_escalation(
        kind=Escalation.Kind.LATE_NOTICE,
        subject=mission,
        responsible_organisation=mission.operation.organisation,
        summary_code=LATE_NOTICE_SUMMARY,
        raised_by=actor.user,
    )
    notify(
        organisation=mission.organisation,
        kind=LATE_NOTICE_KIND,
        link=_link("monitoring:mission_detail", mission.pk),
        permission=PLAN,
    )
    return escalation


def announce_mission(*, actor: Actor, mission: Mission, version: int) -> Mission:
    """Tell the Border Guard unit running the operation that the Office will monitor it. From
    now on the unit sees the mission (dates, stages, monitors), never its observations."""
    _planner(actor, mission)
    with transaction.atomic():
        locked = _locked(mission)
        _check_version(locked, version)
        _move(actor, locked, Mission.Status.ANNOUNCED)
        locked.announced_at = timezone.now()
        locked.announced_by = actor.user
        locked.save(update_fields=["announced_at", "announced_by"])
        log_event(
            "mission.announced",
            obj=locked,
            details={"operation": locked.operation_id, "unit": locked.operation.organisation_id},
        )
        notify(
            organisation=locked.operation.organisation,
            kind="monitoring.mission_announced",
            link=_link("monitoring:mission_detail", locked.pk),
            permission="removals.operation:write",
        )
    return locked


def record_internal_notes(*, actor: Actor, mission: Mission, notes: str, version: int) -> Mission:
    """The office's own notes about the mission (encrypted; never shown to the Border Guard):
    by its monitors and its head of monitoring, whatever the mission's status."""
    office = _office(actor, RECORD)
    if mission.organisation_id != office.pk or not (is_assigned(actor, mission) or actor.can(PLAN)):
        raise NotAllowed(_("Only the monitors assigned to this mission can record it."))
    notes = _clean(notes)
    if len(notes) > MAX_TEXT:
        raise InvalidInput({"notes": [_("The text is too long (at most 4000 characters).")]})
    with transaction.atomic():
        locked = _locked(mission)
        _check_version(locked, version)
        locked.internal_notes = notes
        locked.version += 1
        locked.save(update_fields=["internal_notes", "version", "updated_at"])
        log_event("mission.notes_recorded", obj=locked, details={"empty": not notes})
    return locked


def cancel_mission(*, actor: Actor, mission: Mission, version: int) -> Mission:
    _planner(actor, mission)
    with transaction.atomic():
        locked = _locked(mission)
        _check_version(locked, version)
        _move(actor, locked, Mission.Status.CANCELLED)
        log_event("mission.cancelled", obj=locked, details={"operation": locked.operation_id})
    return locked


def complete_mission(*, actor: Actor, mission: Mission, version: int) -> Mission:
    """An assigned monitor closes the mission once the stages are observed; the D9 screening
    answer, and its finding, are recorded as they stand at that moment."""
    _recorder(actor, mission)
    with transaction.atomic():
        locked = _locked(mission)
        _check_version(locked, version)
        _move(actor, locked, Mission.Status.COMPLETED)
        _record_automatic_answers(actor, locked)
        log_event("mission.completed", obj=locked, details={"operation": locked.operation_id})
    return locked


# --- recording (assigned monitors) ---------------------------------------------------------------


def _stage_row(mission: Mission, stage: str) -> MissionStage:
    try:
        return MissionStage.objects.select_for_update().get(mission=mission, stage=stage)
    except MissionStage.DoesNotExist as exc:
        raise InvalidInput(
            {"stage": [_("This stage is not covered by the mission.")]}, code="stage"
        ) from exc


def record_stage_times(
    *,
    actor: Actor,
    mission: Mission,
    stage: str,
    actual_start: datetime.datetime | None,
    actual_end: datetime.datetime | None,
) -> MissionStage:
    """Record when a stage actually started and ended. The first stage started moves an
    announced mission to "in progress"."""
    _recorder(actor, mission)
    errors: dict[str, list[str]] = {}
    soon = timezone.now() + datetime.timedelta(minutes=5)
    if actual_start and actual_start > soon:
        errors["actual_start"] = [_("The start cannot be in the future.")]
    if actual_end and actual_end > soon:
        errors["actual_end"] = [_("The end cannot be in the future.")]
    if actual_end and not actual_start:
        errors["actual_start"] = [_("Record when the stage started first.")]
    if actual_start and actual_end and actual_end < actual_start:
        errors["actual_end"] = [_("The end is before the start.")]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked = _locked(mission)
        row = _stage_row(locked, stage)
        row.actual_start, row.actual_end = actual_start, actual_end
        row.recorded_by = actor.user
        row.save()
        if actual_start and locked.status == Mission.Status.ANNOUNCED:
            _move(actor, locked, Mission.Status.IN_PROGRESS)
        # Recording the pre-departure stage records the D9 answer and drafts its finding.
        _record_automatic_answers(actor, locked, only_stage=stage)
        log_event(
            "mission.stage_recorded",
            obj=locked,
            details={"stage": stage, "started": bool(actual_start), "ended": bool(actual_end)},
        )
    return row


@dataclass(frozen=True)
class AnswerInput:
    answer: str
    note: str = ""


def answer_checklist(
    *, actor: Actor, mission: Mission, stage: str, answers: Mapping[str, AnswerInput]
) -> list[ChecklistAnswer]:
    """Answer items of the mission's own checklist release at ``stage`` (ADR 0016). Items the
    system answers from the records (D9) are not taken from the monitor: they are recorded
    afresh from the records with every save. A code that is not in the mission's release at
    this stage is refused, naming it; nothing is saved then."""
    _recorder(actor, mission)
    checklist = checklists.load(mission.checklist_version)
    items = {item.code: item for item in checklist.for_stage(stage)}
    errors: dict[str, list[str]] = {}
    for code, given in answers.items():
        item = items.get(code)
        if item is None:
            errors[code] = [_("This question is not on the mission's checklist at this stage.")]
        elif item.automatic:
            errors[code] = [_("This question is answered from the records.")]
        elif given.answer not in ChecklistAnswer.Answer.values:
            errors[code] = [_("Choose an answer from the list.")]
        elif len(given.note) > MAX_TEXT:
            errors[code] = [_("The note is too long (at most 4000 characters).")]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked = _locked(mission)
        row = _stage_row(locked, stage)
        saved = []
        for code, given in answers.items():
            answer, _created = ChecklistAnswer.objects.update_or_create(
                stage=row,
                item_code=code,
                defaults={
                    "answer": given.answer,
                    "note": _clean(given.note),
                    "automatic": False,
                    "answered_by": actor.user,
                },
            )
            saved.append(answer)
        automatic = _record_automatic_answers(actor, locked, only_stage=stage)
        log_event(
            "mission.checklist_answered",
            obj=locked,
            details={
                "stage": stage,
                "checklist": locked.checklist_version,
                "answers": {code: given.answer for code, given in sorted(answers.items())},
                "automatic": automatic,
            },
        )
    return saved


def _record_automatic_answers(
    actor: Actor, mission: Mission, *, only_stage: str | None = None
) -> dict[str, str]:
    """Record the items the system answers from the records, at each covered stage that asks
    them (or only ``only_stage``), and bring rule D9's finding up to date from the same check
    (``findings.sync_d9_finding``: drafted on a mission under way or completed, never twice).
    Returns {code: answer}."""
    checklist = checklists.load(mission.checklist_version)
    recorded: dict[str, str] = {}
    check: ScreeningCheck | None = None  # the manifest's check, read once for every stage
    for row in mission.stages.all():
        if only_stage is not None and row.stage != only_stage:
            continue
        for item in checklist.for_stage(row.stage):
            if item.automatic != checklists.Automatic.SCREENED_BEFORE_DEPARTURE:
                continue
            if check is None:
                check = screening_check(mission)
            answer = ChecklistAnswer.Answer.YES if check.all_screened else ChecklistAnswer.Answer.NO
            if not check.rows:
                answer = ChecklistAnswer.Answer.NOT_APPLICABLE
            ChecklistAnswer.objects.update_or_create(
                stage=row,
                item_code=item.code,
                defaults={
                    "answer": answer,
                    "note": _d9_note(check),
                    "automatic": True,
                    "answered_by": actor.user,
                },
            )
            recorded[item.code] = answer
    if check is not None:
        findings.sync_d9_finding(actor=actor, mission=mission, check=check)
    return recorded


def _d9_note(check: ScreeningCheck) -> str:
    """The returnees not screened and the stages each lacks, as stored evidence in no language:
    "<case number>: pre_return pre_departure", one returnee per line (ADR 0022). Pages and the
    report render the stages through gettext from the check or the finding, not from here."""
    return "\n".join(
        f"{row.person.case_number}: {' '.join(row.missing)}" for row in check.not_screened
    )


def _already_recorded(
    actor: Actor, mission: Mission, client_id: uuid.UUID | None
) -> Observation | None:
    """The observation a device already sent under ``client_id``, if any. Looked up before
    the mission's status is checked: a resend of an observation saved before the mission was
    completed is the same observation, not a conflict. Another mission's or monitor's id is
    refused (a client id is never reused across them)."""
    if client_id is None:
        return None
    _office(actor, RECORD)
    existing = Observation.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    if existing.mission_id != mission.pk or existing.recorded_by_id != actor.user.pk:
        raise InvalidInput({"client_id": [_("This observation was already recorded.")]})
    return existing


def _observation_errors(
    *,
    mission: Mission,
    category: str,
    severity: str,
    text: str,
    when: datetime.datetime,
    person: Person | None,
    indicator_codes: Sequence[str],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Write what you observed.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("The text is too long (at most 4000 characters).")]
    if category not in Observation.Category.values:
        errors["category"] = [_("Choose a category from the list.")]
    if severity not in Observation.Severity.values:
        errors["severity"] = [_("Choose a severity from the list.")]
    if when > timezone.now() + datetime.timedelta(minutes=5):
        errors["observed_at"] = [_("The time cannot be in the future.")]
    if (
        person is not None
        and not ManifestEntry.objects.filter(
            operation_id=mission.operation_id, person=person
        ).exists()
    ):
        errors["person"] = [_("This person is not on the operation's manifest.")]
    if indicator_codes:
        if category != Observation.Category.TRAFFICKING or person is None:
            errors["indicator_codes"] = [
                _(
                    "Indicators go with an observation of signs of trafficking about a person: "
                    "choose that category and the person, or clear the indicators."
                )
            ]
        elif unknown := indicators.code_errors(indicator_codes):
            errors["indicator_codes"] = unknown
    return errors


def record_observation(
    *,
    actor: Actor,
    mission: Mission,
    stage: str,
    category: str,
    severity: str,
    text: str,
    observed_at: datetime.datetime | None = None,
    person: Person | None = None,
    client_id: uuid.UUID | None = None,
    indicator_codes: Sequence[str] = (),
) -> Observation:
    """Record what a monitor saw. Quick on a tablet: stage, category, severity and the text are
    all it needs; the time is now unless given; a person must be on the operation's manifest.
    ``client_id`` makes a resend of the same observation (offline capture) find the first one
    instead of recording it twice.

    Signs of trafficking about a person may carry ``indicator_codes`` of the current screening
    catalogue; the screening rules are evaluated on them and, if they advise an interview before
    departure or a referral, the escort leader and the unit are told at once and the Ombudsman's
    Office gets an escalation (``_alert_escort``), in the same transaction: exactly once per
    observation, however often a device resends it."""
    existing = _already_recorded(actor, mission, client_id)
    if existing is not None:
        return existing
    _recorder(actor, mission)
    text = _clean(text)
    codes = list(dict.fromkeys(code.strip() for code in indicator_codes if code.strip()))
    when = observed_at or timezone.now()
    errors = _observation_errors(
        mission=mission,
        category=category,
        severity=severity,
        text=text,
        when=when,
        person=person,
        indicator_codes=codes,
    )
    if errors:
        raise InvalidInput(errors)
    advice = (
        indicators.advise(person=person, stage=stage, codes=codes)
        if codes and person is not None
        else None
    )
    with transaction.atomic():
        locked = _locked(mission)
        row = _stage_row(locked, stage)
        try:
            with transaction.atomic():
                observation = Observation.objects.create(
                    mission=locked,
                    stage=row,
                    person=person,
                    category=category,
                    severity=severity,
                    observed_at=when,
                    text=text,
                    recorded_by=actor.user,
                    client_id=client_id,
                    indicator_codes=codes,
                    catalogue_version=advice.catalogue_version if advice else "",
                    recommendation=advice.recommendation if advice else "",
                )
        except IntegrityError:
            # The same client id arrived twice at once: the other request recorded it.
            return Observation.objects.get(client_id=client_id)
        log_event(
            "observation.recorded",
            obj=observation,
            details={
                "mission": locked.pk,
                "stage": stage,
                "category": category,
                "severity": severity,
                "person": person.pk if person else None,
                "indicators": codes,
                "recommendation": observation.recommendation,
                "offline": client_id is not None,
            },
        )
        if advice is not None and advice.alerts and person is not None:
            _alert_escort(actor, locked, observation, person)
    return observation


# What the author of an observation may correct (the person and the indicators stay: a new
# observation says what else was seen, so an alert already sent is never unsaid).
EDITABLE_FIELDS = ("category", "severity", "observed_at", "text")


def edit_observation(
    *,
    actor: Actor,
    observation: Observation,
    version: int,
    category: str,
    severity: str,
    text: str,
    observed_at: datetime.datetime,
) -> Observation:
    """The monitor who recorded an observation corrects it, while the mission is not yet
    reported: refused once a report of the mission is approved or published (and on a cancelled
    mission). ``version`` is the one the form showed; if someone changed the observation since,
    ``ConcurrentEdit`` and nothing is saved (I8). What it said before is kept as an
    ``ObservationRevision`` (text encrypted) and the change is audited with the fields' names
    only. An observation with indicators keeps its category (signs of trafficking)."""
    _office(actor, RECORD)
    if observation.recorded_by_id != actor.user.pk or not is_office(actor, observation.mission):
        raise NotAllowed(_("Only the monitor who recorded an observation can change it."))
    text = _clean(text)
    errors = _observation_errors(
        mission=observation.mission,
        category=category,
        severity=severity,
        text=text,
        when=observed_at,
        person=None,
        indicator_codes=(),
    )
    if observation.indicator_codes and category != Observation.Category.TRAFFICKING:
        errors["category"] = [
            _(
                "This observation records signs of trafficking with indicators; its category "
                "stays. Record a new observation for anything else."
            )
        ]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        mission = _locked(observation.mission)
        if mission.status == Mission.Status.CANCELLED:
            raise ServiceError(
                _("The mission is “%(status)s”; nothing more can be recorded on it.")
                % {"status": mission.get_status_display()},
                code="not_recording",
            )
        reported = MonitoringReport.objects.select_for_update().filter(
            mission=mission, status__in=REPORTED
        )
        if reported.exists():
            raise ServiceError(
                _(
                    "The mission's report is approved; its observations can no longer be "
                    "changed. Tell the head of monitoring if something in it is wrong."
                ),
                code="reported",
            )
        current = Observation.objects.select_for_update().get(pk=observation.pk)
        if current.version != version:
            raise ObservationChanged(current)
        wanted = {
            "category": category,
            "severity": severity,
            "observed_at": observed_at,
            "text": text,
        }
        changed = [name for name in EDITABLE_FIELDS if getattr(current, name) != wanted[name]]
        if not changed:
            return current
        ObservationRevision.objects.create(
            observation=current,
            version=current.version,
            category=current.category,
            severity=current.severity,
            observed_at=current.observed_at,
            text=current.text,
            changed_fields=changed,
            changed_by=actor.user,
        )
        for name in changed:
            setattr(current, name, wanted[name])
        current.version += 1
        current.save(update_fields=[*changed, "version"])
        log_event(
            "observation.edited",
            obj=current,
            details={"mission": mission.pk, "fields": changed, "version": current.version},
        )
    return current


class ObservationChanged(ConcurrentEdit):
    """Someone changed the observation after the form was shown; carries it as saved."""

    def __init__(self, current: Observation) -> None:
        super().__init__(
            _(
                "This observation was changed after you opened it, so your changes were not "
                "saved. Compare it as it is now with what you wrote, and save again."
            )
        )
        self.current = current


def _alert_escort(actor: Actor, mission: Mission, observation: Observation, person: Person) -> None:
    """Tell the escort leader and whoever may change the operation's manifest (the permission
    table decides), with the case number only, and make it an escalation the Ombudsman's
    Office and the unit see on their lists. Audited."""
    operation = mission.operation
    leader = operation.escort_leader
    sent = notify(
        organisation=operation.organisation,
        kind=ALERT_KIND,
        link=_link("removals:operation_detail", operation.pk),
        case_number=person.case_number,
        permission=MANIFEST_WRITE,
        also=[leader] if leader is not None else (),
    )
    escalation = raise_escalation(
        kind=Escalation.Kind.REMOVAL_CONFLICT,
        subject=observation,
        responsible_organisation=operation.organisation,
        summary_code=ALERT_SUMMARY,
        case_number=person.case_number,
        raised_by=actor.user,
    )
    log_event(
        "observation.escort_alerted",
        obj=observation,
        details={
            "operation": operation.pk,
            "person": person.pk,
            "recommendation": observation.recommendation,
            "escort_leader": leader.pk if leader is not None else None,
            "recipients": len(sent),
            "escalation": escalation.pk,
        },
    )


# --- the manifest: a formal request to the escort leader ----------------------------------------


def request_removal(
    *, actor: Actor, mission: Mission, person: Person, reason: str
) -> RemovalRequest:
    """Ask the escort leader, formally, to take ``person`` off the manifest. Monitors cannot
    stop an operation (domain.md §1.9); the request and its answer are on the record, the unit's
    case officers are told at once. One open request per person and mission."""
    _recorder(actor, mission)
    reason = _clean(reason)
    if not reason:
        raise InvalidInput({"reason": [_("Write why the person should not travel.")]})
    if len(reason) > MAX_TEXT:
        raise InvalidInput({"reason": [_("The text is too long (at most 4000 characters).")]})
    with transaction.atomic():
        locked = _locked(mission)
        operation = RemovalOperation.objects.select_for_update().get(pk=locked.operation_id)
        if not operation.manifest_is_open:
            raise ServiceError(
                _("The operation is “%(status)s”; its manifest can no longer be changed.")
                % {"status": operation.get_status_display()},
                code="operation_closed",
            )
        if not ManifestEntry.objects.filter(operation=operation, person=person).exists():
            raise InvalidInput({"person": [_("This person is not on the operation's manifest.")]})
        if RemovalRequest.objects.filter(
            mission=locked, person=person, status=RemovalRequest.Status.PENDING
        ).exists():
            raise ServiceError(
                _("A request about %(case)s is already waiting for an answer.")
                % {"case": person.case_number},
                code="already_requested",
            )
        request = RemovalRequest.objects.create(
            mission=locked, person=person, reason=reason, requested_by=actor.user
        )
        log_event(
            "removal_request.made",
            obj=request,
            details={"mission": locked.pk, "operation": operation.pk, "person": person.pk},
        )
        # The escort leader, to whom the request is addressed, and whoever may change the
        # manifest (the permission table decides): both may answer it (``may_answer``).
        leader = operation.escort_leader
        notify(
            organisation=operation.organisation,
            kind="monitoring.removal_requested",
            link=_link("monitoring:removal_request_answer", request.pk),
            case_number=person.case_number,
            permission=MANIFEST_WRITE,
            also=[leader] if leader is not None else (),
        )
    return request


def answer_removal_request(
    *, actor: Actor, request: RemovalRequest, accepted: bool, reason: str
) -> RemovalRequest:
    """The Border Guard's answer, recorded with its reason. Accepting takes the person off the
    manifest through the removals service in the same transaction (all or nothing); a refusal
    needs a reason. The monitors of the mission are told. Needs
    ``monitoring.removal_request:answer`` in the unit running the operation, as one of its case
    officers or as the operation's escort leader (``selectors.may_answer``)."""
    mission = request.mission
    if not may_answer(actor, mission):
        raise NotAllowed(_("Your role does not allow this."))
    reason = _clean(reason)
    if not accepted and not reason:
        raise InvalidInput({"reason": [_("Write why the request is refused.")]})
    if len(reason) > MAX_TEXT:
        raise InvalidInput({"reason": [_("The text is too long (at most 4000 characters).")]})
    with transaction.atomic():
        locked = RemovalRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RemovalRequest.Status.PENDING:
            raise ServiceError(_("This request was already answered."), code="already_answered")
        if accepted:
            entry = ManifestEntry.objects.filter(
                operation_id=mission.operation_id, person_id=locked.person_id
            ).first()
            if entry is not None:
                remove_from_manifest(actor=actor, entry=entry)
        locked.status = (
            RemovalRequest.Status.ACCEPTED if accepted else RemovalRequest.Status.REFUSED
        )
        locked.answered_by = actor.user
        locked.answered_at = timezone.now()
        locked.answer_reason = reason
        locked.save()
        log_event(
            "removal_request.answered",
            obj=locked,
            details={"mission": mission.pk, "person": locked.person_id, "answer": locked.status},
        )
        _tell_monitors(mission, mission.monitors.all(), "monitoring.removal_request_answered")
    return locked


# --- from an observation about a person: a screening or a suspicion ------------------------------


def _person_observation(actor: Actor, observation: Observation) -> Person:
    _recorder(actor, observation.mission)
    if observation.person is None:
        raise ServiceError(_("This observation is about nobody in particular."), code="no_person")
    if observation.follow_up:
        raise ServiceError(
            _("Something was already done about this observation."), code="already_followed_up"
        )
    return observation.person


def screen_from_observation(
    *, actor: Actor, observation: Observation, setup: SessionSetup
) -> ScreeningSession:
    """Open a screening of the person an observation is about, through the screening service
    (its rules and refusals unchanged), and note it on the observation, in one transaction."""
    person = _person_observation(actor, observation)
    with transaction.atomic():
        session = screening_services.start_session(actor=actor, person=person, setup=setup)
        _note_follow_up(observation, f"screening:{session.pk}")
    return session


def raise_suspicion_from_observation(
    *,
    actor: Actor,
    observation: Observation,
    reason: str,
    orphans_court: Organisation | None = None,
) -> Suspicion:
    """Raise a suspicion of trafficking about the person an observation is about, through the
    referral service (the removal is held at once, I1), and note it on the observation."""
    person = _person_observation(actor, observation)
    with transaction.atomic():
        suspicion = referral_services.raise_suspicion(
            actor=actor,
            person=person,
            reason=reason,
            source_reference=f"monitoring.observation:{observation.pk}",
            orphans_court=orphans_court,
        )
        _note_follow_up(observation, f"suspicion:{suspicion.pk}")
    return suspicion


def _note_follow_up(observation: Observation, follow_up: str) -> None:
    Observation.objects.filter(pk=observation.pk).update(follow_up=follow_up)
    observation.follow_up = follow_up
    log_event(
        "observation.followed_up",
        obj=observation,
        details={"follow_up": follow_up, "person": observation.person_id},
    )
