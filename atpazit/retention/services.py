"""The purge (DESIGN §7) and legal holds: the only writes of the retention app.

``purge(apply=...)`` walks the return cases in batches of persons (by id), groups each batch by
human (records linked as the same person are one case), and inside one transaction per batch
locks the rows, re-checks that each case is not live and that its period has passed
(``liveness``), then anonymises the case (``parts.PARTS``) and records a ``PurgedCase`` per
record. A batch that fails rolls back alone; a second run passes over what was done (idempotent
and resumable) unless the case has activity after its purge, which is anonymised in turn once its
own period has passed, under the same guards. Then it deletes notifications and sent e-mails past their periods. Every applied
batch appends an audit event with its counts; a dry run changes nothing and reports what an
applied run would do, counts only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event
from atpazit.cases.models import IdentityDecision, Person
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.notifications.models import Notification, OutgoingEmail
from atpazit.retention import schedule
from atpazit.retention.liveness import groups_of, live_reasons
from atpazit.retention.models import LegalHold, PurgedCase, PurgeRun
from atpazit.retention.parts import DELETE, ERASE, PARTS, Part
from atpazit.webhooks.models import Delivery

BATCH_SIZE = 200

MANAGE_PERMISSION = "retention.legal_hold:manage"
LIFT_PERMISSION = "retention.legal_hold:lift"


@dataclass
class _Tally:
    counts: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    batches: int = 0


def _cutoff(now: dt.datetime, code: str) -> dt.datetime | None:
    days = schedule.period_days(code)
    return None if days is None else now - dt.timedelta(days=days)


def purge(
    *,
    apply: bool,
    trigger: str = PurgeRun.Trigger.COMMAND,
    batch_size: int = BATCH_SIZE,
    run: PurgeRun | None = None,
) -> PurgeRun:
    """Purge what the schedule says is due (``apply``), or count it (a dry run).

    Called by ``atpazit purge`` and the scheduled task (which passes the ``run`` it queued);
    there is no user to check, the command is for whoever runs the server. Returns the run with
    its counts."""
    now = timezone.now()
    # Read before this run writes its own first event.
    clock_wrong = apply and _clock_went_back(now)
    periods = {record.code: record.days for record in schedule.SCHEDULE if record.days is not None}
    mode = PurgeRun.Mode.APPLY if apply else PurgeRun.Mode.DRY_RUN
    with transaction.atomic():
        if run is None:
            run = PurgeRun.objects.create(mode=mode, trigger=trigger, periods=periods)
        else:
            run.mode, run.status, run.periods = mode, PurgeRun.Status.RUNNING, periods
            run.save(update_fields=["mode", "status", "periods"])
        log_event("retention.purge_started", obj=run, details={"mode": mode, "periods": periods})
    tally = _Tally()
    try:
        if clock_wrong:
            raise ClockSkew(
                _(
                    "The server's clock looks wrong; nothing was purged. "
                    "Check the time and try again."
                )
            )
        _purge_cases(run, tally, now=now, apply=apply, batch_size=batch_size)
        _purge_old(run, tally, now=now, apply=apply, batch_size=batch_size)
    except Exception:
        _finish(run, tally, PurgeRun.Status.FAILED)
        raise
    _finish(run, tally, PurgeRun.Status.FINISHED)
    return run


# How far the server's clock may be behind the newest audit event.
CLOCK_TOLERANCE = dt.timedelta(hours=1)


class ClockSkew(ServiceError):
    default_code = "clock_skew"


def _clock_went_back(now: dt.datetime) -> bool:
    """Is the clock visibly wrong: behind the newest audit event (it went back, or ran ahead
    when those events were written)? A clock running ahead now cannot be told from here; the
    server's time must come from NTP. A day's error on a period of years is harmless; a wrong
    year is not."""
    newest = AuditEvent.objects.order_by("-sequence").values_list("occurred_at", flat=True).first()
    return newest is not None and newest - now > CLOCK_TOLERANCE


def queue_scheduled_purge() -> PurgeRun:
    """Record a scheduled run as queued (the task picks it up by id)."""
    with transaction.atomic():
        return PurgeRun.objects.create(
            mode=PurgeRun.Mode.APPLY,
            trigger=PurgeRun.Trigger.SCHEDULE,
            status=PurgeRun.Status.QUEUED,
        )


def _finish(run: PurgeRun, tally: _Tally, status: str) -> None:
    with transaction.atomic():
        run.status = status
        run.finished_at = timezone.now()
        run.counts = dict(sorted(tally.counts.items()))
        run.kept = dict(sorted(tally.kept.items()))
        run.batches = tally.batches
        run.save(update_fields=["status", "finished_at", "counts", "kept", "batches"])
        failed = status == PurgeRun.Status.FAILED
        log_event(
            "retention.purge_failed" if failed else "retention.purge_finished",
            obj=run,
            outcome=AuditEvent.Outcome.FAILURE if failed else AuditEvent.Outcome.SUCCESS,
            details={"mode": run.mode, "counts": run.counts, "kept": run.kept},
        )


# --- return cases -------------------------------------------------------------------------------


def _candidates(after: int, limit: int, created_before: dt.datetime) -> list[int]:
    """The next persons by id that could be due: registered before the shortest period's
    cutoff (nothing newer can be due). Open procedures are listed too, so the report counts the
    old ones nobody closed. Records anonymised already are listed as well: someone may have
    started a screening, a suspicion or a hold on one since (an old case number opened again),
    and that new personal data has its period too (``_case_batch`` passes over a purged case
    with no activity after its purge)."""
    return list(
        Person.objects.filter(pk__gt=after, created_at__lt=created_before)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def _purged_before(groups: dict[int, set[int]]) -> dict[int, dt.datetime]:
    """For each case whose every record was anonymised already: the end of the last activity
    its last purge counted from. Activity after it is new (the purge writes no dates)."""
    ids = {pk for pks in groups.values() for pk in pks}
    done: dict[int, dt.datetime] = dict(
        PurgedCase.objects.filter(person__in=ids).values_list("person_id", "last_activity_at")
    )
    return {
        key: max(done[pk] for pk in pks)
        for key, pks in groups.items()
        if pks and all(pk in done for pk in pks)
    }


def _purge_cases(
    run: PurgeRun, tally: _Tally, *, now: dt.datetime, apply: bool, batch_size: int
) -> None:
    case_cutoff = _cutoff(now, schedule.RETURN_CASE)
    messages_cutoff = _cutoff(now, schedule.CASE_MESSAGES)
    cutoffs = [cutoff for cutoff in (case_cutoff, messages_cutoff) if cutoff is not None]
    if not cutoffs:
        return
    seen: set[int] = set()
    after = 0
    while batch := _candidates(after, batch_size, max(cutoffs)):
        after = batch[-1]
        if apply:
            with transaction.atomic():
                _case_batch(run, tally, batch, seen, now, case_cutoff, messages_cutoff, apply)
        else:
            _case_batch(run, tally, batch, seen, now, case_cutoff, messages_cutoff, apply)


def _case_batch(
    run: PurgeRun,
    tally: _Tally,
    batch: list[int],
    seen: set[int],
    now: dt.datetime,
    case_cutoff: dt.datetime | None,
    messages_cutoff: dt.datetime | None,
    apply: bool,
) -> None:
    groups = {key: pks for key, pks in groups_of(batch).items() if key not in seen}
    seen.update(groups)
    if not groups:
        return
    ids = {pk for pks in groups.values() for pk in pks}
    if apply:
        groups = _locked_groups(ids)
    # Within its period means: within the return case's (a likely duplicate that recent is live).
    cutoff = case_cutoff or messages_cutoff or now
    reasons, latest = live_reasons(groups, cutoff=cutoff, today=timezone.localdate(now))
    purged = _purged_before(groups)
    anonymise: dict[int, set[int]] = {}
    messages_only: dict[int, set[int]] = {}
    for key, pks in groups.items():
        blocking = reasons[key] - {"within_period"}
        ended = latest.get(key)
        if key in purged and (ended is None or ended <= purged[key]):
            continue  # anonymised already, nothing new since
        if blocking or ended is None:
            tally.kept.update(blocking or {"within_period"})
            continue
        if case_cutoff is not None and ended <= case_cutoff:
            anonymise[key] = pks
        elif messages_cutoff is not None and ended <= messages_cutoff:
            messages_only[key] = pks
        else:
            tally.kept["within_period"] += 1
    counts = _apply_parts(anonymise, messages_only, apply=apply)
    if not counts:
        return
    tally.counts.update(counts)
    if apply:
        _record_purged(run, anonymise, latest)
        tally.batches += 1
        log_event(
            "retention.batch_purged", obj=run, details={"counts": dict(sorted(counts.items()))}
        )


def _locked_groups(ids: set[int]) -> dict[int, set[int]]:
    """Lock every record of these cases, then group them again: a hold, a screening or a link
    made meanwhile is either committed before the lock (and seen by the checks that follow) or
    waits for this batch. A record linked meanwhile is locked too."""
    locked: set[int] = set()
    while ids - locked:
        list(Person.objects.select_for_update().filter(pk__in=ids - locked).order_by("pk"))
        locked |= ids
        groups = groups_of(locked)
        ids = {pk for pks in groups.values() for pk in pks}
    return groups_of(locked)


def _apply_parts(
    anonymise: dict[int, set[int]], messages_only: dict[int, set[int]], *, apply: bool
) -> Counter[str]:
    """Erase or delete every part of these cases (or count what would be); counts per record
    type code and per model label."""
    counts: Counter[str] = Counter()
    if anonymise:
        counts[schedule.RETURN_CASE] = len(anonymise)
        ids = {pk for pks in anonymise.values() for pk in pks}
        counts["cases.person"] = len(ids)
        for part in PARTS:
            counts.update(_apply_part(part, ids, apply=apply))
        if apply:
            _erase_decisions(ids)
    if messages_only:
        ids = {pk for pks in messages_only.values() for pk in pks}
        for part in PARTS:
            if part.record_type == schedule.CASE_MESSAGES:
                counts.update(_apply_part(part, ids, apply=apply))
    counts[schedule.CASE_MESSAGES] = counts.get("exchange.message", 0)
    return +counts


def _apply_part(part: Part, person_ids: set[int], *, apply: bool) -> Counter[str]:
    if part.action not in (ERASE, DELETE):
        return Counter()
    numbers = set()
    if part.case_number:
        numbers = set(
            Person.objects.filter(pk__in=person_ids).values_list("case_number", flat=True)
        )
    rows = part.of(person_ids, numbers)
    label = part.model._meta.label_lower
    if part.model is Person:  # counted as "cases.person" by the caller
        if apply:
            rows.update(**part.erased_values())
        return Counter()
    if not apply:
        return Counter({label: rows.count()})
    if part.action == DELETE:
        deleted, _per_model = rows.delete()
        return Counter({label: deleted})
    return Counter({label: rows.update(**part.erased_values())})


def _erase_decisions(person_ids: set[int]) -> None:
    """A decision's reason names both records: erased once both are anonymised."""
    purged = set(PurgedCase.objects.values_list("person_id", flat=True)) | person_ids
    IdentityDecision.objects.filter(
        Q(person__in=person_ids) | Q(other__in=person_ids),
        person__in=purged,
        other__in=purged,
    ).update(reason="")


def _record_purged(
    run: PurgeRun, anonymise: dict[int, set[int]], latest: dict[int, dt.datetime]
) -> None:
    ids = {pk for pks in anonymise.values() for pk in pks}
    done = set(PurgedCase.objects.filter(person__in=ids).values_list("person_id", flat=True))
    for key, pks in anonymise.items():  # anonymised again after new activity
        PurgedCase.objects.filter(person__in=pks & done).update(
            run=run, purged_at=timezone.now(), last_activity_at=latest[key]
        )
    PurgedCase.objects.bulk_create(
        PurgedCase(person_id=pk, run=run, last_activity_at=latest[key])
        for key, pks in anonymise.items()
        for pk in sorted(pks)
        if pk not in done
    )


# --- records with a period of their own --------------------------------------------------------


def _purge_old(
    run: PurgeRun, tally: _Tally, *, now: dt.datetime, apply: bool, batch_size: int
) -> None:
    notifications = _cutoff(now, schedule.NOTIFICATION)
    if notifications is not None:
        _delete_in_batches(
            run,
            tally,
            schedule.NOTIFICATION,
            Notification.objects.filter(created_at__lt=notifications),
            apply=apply,
            batch_size=batch_size,
        )
    emails = _cutoff(now, schedule.OUTGOING_EMAIL)
    if emails is not None:
        done = OutgoingEmail.objects.filter(
            Q(status=OutgoingEmail.Status.SENT, sent_at__lt=emails)
            | Q(status=OutgoingEmail.Status.FAILED, created_at__lt=emails)
        )
        _delete_in_batches(
            run, tally, schedule.OUTGOING_EMAIL, done, apply=apply, batch_size=batch_size
        )
    deliveries = _cutoff(now, schedule.WEBHOOK_DELIVERY)
    if deliveries is not None:
        ended = Delivery.objects.filter(
            status__in=[
                Delivery.Status.DELIVERED,
                Delivery.Status.FAILED,
                Delivery.Status.CANCELLED,
            ],
            created_at__lt=deliveries,
        )
        _delete_in_batches(
            run, tally, schedule.WEBHOOK_DELIVERY, ended, apply=apply, batch_size=batch_size
        )


def _delete_in_batches(
    run: PurgeRun, tally: _Tally, code: str, rows: Any, *, apply: bool, batch_size: int
) -> None:
    if not apply:
        if count := rows.count():
            tally.counts[code] += count
        return
    while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            deleted = (
                rows.model.objects.filter(pk__in=ids).delete()[1].get(rows.model._meta.label, 0)
            )
            tally.counts[code] += deleted
            tally.batches += 1
            log_event("retention.batch_purged", obj=run, details={"counts": {code: deleted}})


# --- legal holds --------------------------------------------------------------------------------


def place_legal_hold(*, actor: Actor, case_number: str, reason: str) -> LegalHold:
    """Stop the purge of a case (every record linked with it too) for ``reason`` (a
    ``LegalHold.Reason`` code). The data protection officer or the system administrator."""
    if not actor.can(MANAGE_PERMISSION):
        raise NotAllowed()
    errors: dict[str, list[str]] = {}
    if reason not in LegalHold.Reason.values:
        errors["reason"] = [_("Choose the reason for the legal hold.")]
    person = Person.objects.filter(case_number=case_number.strip().upper()).first()
    if person is None:
        errors["case_number"] = [_("No case has this number.")]
    if errors or person is None:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if PurgedCase.objects.filter(person=locked).exists():
            raise InvalidInput(
                {"case_number": [_("This case was anonymised already; nothing is left to hold.")]}
            )
        hold = LegalHold.objects.create(person=locked, reason=reason, placed_by=actor.user)
        log_event(
            "retention.legal_hold_placed",
            obj=hold,
            details={"person": locked.pk, "reason": reason},
        )
    return hold


def lift_legal_hold(*, actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    """End a legal hold; the case's period then counts as before (from its last activity).

    The data protection officer only (not the system administrator: lifting lets the purge
    erase the case), with a written ``reason`` (stored encrypted; the audit event carries the
    hold's reason code and the fact that a reason was written, never the text)."""
    if not actor.can(LIFT_PERMISSION):
        raise NotAllowed()
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Write why the legal hold is lifted.")]})
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.lifted_at is None:
            locked.lifted_at = timezone.now()
            locked.lifted_by = actor.user
            locked.lift_reason = reason
            locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
            log_event(
                "retention.legal_hold_lifted",
                obj=locked,
                details={
                    "person": locked.person_id,
                    "reason": locked.reason,
                    "lift_reason_given": True,
                },
            )
    return locked
