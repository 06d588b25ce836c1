"""Permission-aware reads of the referral flow (I6).

The scopes of suspicions and referrals are in ``referrals.visibility`` (one module for every
rule of who sees a case); this module builds the pages' reads on them. Each
``..._visible_to(actor)`` denies when unsure; each ``get_..._for_user(actor, pk)`` raises
Http404 outside scope, so a response never reveals that an object exists. Who sees what:

- the Border Guard: suspicions and referrals about persons of its unit (status, not contents);
- the Ombudsman's Office: every suspicion and referral (status, not contents);
- a service provider: provider-track referrals sent to it (with their package);
- the State Police: police-track referrals sent to it (with their package);
- an orphan's court: the child-path suspicions it was given notice of;
- the national coordinator, the auditor, SIVA and everyone else: none of these.

Which parts of a referral page an actor sees is decided by ``access.referral_parts``. The
accessor a page fetches its object with audits the read (I7): ``get_suspicion_page`` and
``get_referral_page`` for the object's own page, ``get_..._for_user(..., shown_on=page)`` for a
form on it (the URL name of the form), ``shown=True`` for the other detail pages; a write that
shows nothing passes neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.cases.holds import RemovalObstacle
from atpazit.cases.models import OPEN_STATUSES as PERSON_OPEN_STATUSES
from atpazit.cases.models import Hold
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.referrals.access import referral_parts
from atpazit.referrals.models import (
    OPEN_STATUSES,
    AnonymousNotification,
    Consent,
    GuardianAppointment,
    HoldReleaseProposal,
    Referral,
    Suspicion,
)
from atpazit.referrals.visibility import (
    child_cases_visible_to,
    child_threads_visible_to,
    referrals_visible_to,
    suspicions_visible_to,
)

RESPONSE_KINDS = [Kind.PROVIDER_RESPONSE, Kind.POLICE_RESPONSE]


def get_suspicion_for_user(actor: Actor, pk: int, *, shown_on: str | None = None) -> Suspicion:
    """The suspicion with ``pk`` if the actor may see it; Http404 otherwise.

    ``shown_on`` names the page that shows it (a form on the suspicion: its URL name); the read
    is then audited here as ``suspicion.viewed`` with the page (I7)."""
    queryset = suspicions_visible_to(actor).select_related(
        "person__organisation", "raised_by", "raised_by_organisation", "hold", "orphans_court"
    )
    try:
        suspicion = queryset.get(pk=pk)
    except Suspicion.DoesNotExist as exc:
        raise Http404 from exc
    if shown_on is not None:
        log_event("suspicion.viewed", obj=suspicion, details={"page": shown_on})
    return suspicion


def release_proposals_visible_to(actor: Actor) -> QuerySet[HoldReleaseProposal]:
    """Four-eyes release proposals (I1): only the person's own Border Guard unit sees them, and
    only its members who may propose or approve one. Nobody else any."""
    organisation = actor.organisation
    if organisation is None or not (
        actor.can("referrals.hold_release:approve") or actor.can("referrals.hold_release:propose")
    ):
        return HoldReleaseProposal.objects.none()
    return HoldReleaseProposal.objects.filter(
        suspicion__in=suspicions_visible_to(actor), suspicion__person__organisation=organisation
    )


def get_release_proposal_for_user(
    actor: Actor, pk: int, *, shown: bool = False
) -> HoldReleaseProposal:
    """The proposal with ``pk`` if the actor may see it; Http404 otherwise. With ``shown`` its
    page is displayed (also again after a refused approval or decline), and the read is audited
    here as ``hold_release.proposal_viewed`` (I7)."""
    queryset = release_proposals_visible_to(actor).select_related(
        "suspicion__person__organisation", "suspicion__hold", "proposed_by", "decided_by"
    )
    try:
        proposal = queryset.get(pk=pk)
    except HoldReleaseProposal.DoesNotExist as exc:
        raise Http404 from exc
    if shown:
        details = {"suspicion": proposal.suspicion_id}
        log_event("hold_release.proposal_viewed", obj=proposal, details=details)
    return proposal


def waiting_release_proposal(suspicion: Suspicion) -> HoldReleaseProposal | None:
    return (
        HoldReleaseProposal.objects.filter(
            suspicion=suspicion, status=HoldReleaseProposal.Status.PENDING
        )
        .select_related("proposed_by")
        .first()
    )


def get_suspicion_page(actor: Actor, pk: int) -> Suspicion:
    """The suspicion with what its page shows (tracks, consents, notifications), prefetched;
    the read is audited here as ``suspicion.viewed`` (I7). Http404 outside the actor's scope."""
    suspicion = get_suspicion_for_user(actor, pk)
    tracks = with_response_due(
        Referral.objects.filter(suspicion=suspicion).select_related("to_organisation")
    ).prefetch_related("transitions__by")
    page = (
        Suspicion.objects.filter(pk=suspicion.pk)
        .select_related(
            "person__organisation",
            "raised_by",
            "raised_by_organisation",
            "hold__confirmed_by",
            "hold__released_by",
            "orphans_court",
            "closed_by",
            "support_offered_by",
        )
        .prefetch_related(
            Prefetch("referrals", queryset=tracks.order_by("sent_at", "pk")),
            Prefetch("consents", queryset=Consent.objects.select_related("explained_by")),
            Prefetch(
                "anonymous_notifications",
                queryset=AnonymousNotification.objects.select_related("to_organisation"),
            ),
            "risk_assessments__assessed_by",
            "information_sheets",
        )
        .get()
    )
    log_event("suspicion.viewed", obj=page)
    return page


def get_referral_for_user(actor: Actor, pk: int, *, shown_on: str | None = None) -> Referral:
    """The referral with ``pk`` if the actor may see it; Http404 otherwise.

    ``shown_on`` names the page that shows it (a form on the referral: its URL name); the read
    is then audited here as ``referral.viewed`` with the page (I7)."""
    queryset = referrals_visible_to(actor).select_related(
        "suspicion__person__organisation",
        "suspicion__raised_by_organisation",
        "suspicion__hold",
        "to_organisation",
        "sent_by",
    )
    try:
        referral = queryset.get(pk=pk)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    if shown_on is not None:
        log_event("referral.viewed", obj=referral, details={"page": shown_on})
    return referral


def get_referral_page(actor: Actor, pk: int) -> Referral:
    """The referral for its own page; the read is audited here as ``referral.viewed``, saying
    whether the package is shown (``access.referral_parts``). Http404 outside scope."""
    referral = get_referral_for_user(actor, pk)
    package = referral_parts(actor, referral).package
    log_event("referral.viewed", obj=referral, details={"package": package})
    return referral


def _subject(model: type[Referral] | type[Hold]) -> Concat:
    """The ``Deadline.subject`` of the outer row ("app.model:pk"), as a SQL expression."""
    return Concat(
        Value(f"{model._meta.label_lower}:"),
        Cast(OuterRef("pk"), output_field=CharField()),
        output_field=CharField(),
    )


def with_response_due(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotate ``response_due``: when the open answer deadline falls due (None if answered)."""
    due = Deadline.objects.filter(
        subject=_subject(Referral),
        kind__in=RESPONSE_KINDS,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    ).order_by("due_at")
    return queryset.annotate(
        response_due=Subquery(due.values("due_at")[:1], output_field=DateTimeField())
    )


@dataclass(frozen=True)
class ReferralFilters:
    status: str = ""  # "open", "ended" or "" for all


def referral_list(actor: Actor, filters: ReferralFilters) -> QuerySet[Referral]:
    """The actor's referrals, the ones waiting for an answer first, soonest deadline first."""
    queryset = with_response_due(referrals_visible_to(actor)).select_related(
        "suspicion__person", "to_organisation"
    )
    if filters.status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif filters.status == "ended":
        queryset = queryset.exclude(status__in=OPEN_STATUSES)
    return queryset.order_by(F("response_due").asc(nulls_last=True), "-sent_at", "-pk")


def suspicion_list(actor: Actor, *, state: str = "") -> QuerySet[Suspicion]:
    """The actor's suspicions, open ones first; ``state`` "open" or "closed" narrows them."""
    queryset = suspicions_visible_to(actor).select_related(
        "person", "hold", "raised_by_organisation"
    )
    if state == "open":
        queryset = queryset.filter(closed_at__isnull=True)
    elif state == "closed":
        queryset = queryset.filter(closed_at__isnull=False)
    return queryset.prefetch_related("referrals").order_by(
        F("closed_at").desc(nulls_first=True), "-raised_at", "-pk"
    )


def anonymous_notifications_visible_to(actor: Actor) -> QuerySet[AnonymousNotification]:
    """Anonymous notifications sent to the actor's organisation (``referrals.anonymous:read``).
    The sender sees them on the suspicion page instead."""
    organisation = actor.organisation
    if organisation is None or not actor.can("referrals.anonymous:read"):
        return AnonymousNotification.objects.none()
    return AnonymousNotification.objects.filter(to_organisation=organisation)


def get_anonymous_notification_for_user(
    actor: Actor, pk: int, *, shown: bool = False
) -> AnonymousNotification:
    """The notification with ``pk`` if it was sent to the actor's organisation; Http404
    otherwise. With ``shown`` the read is audited here as ``anonymous_notification.viewed``."""
    try:
        notification = anonymous_notifications_visible_to(actor).get(pk=pk)
    except AnonymousNotification.DoesNotExist as exc:
        raise Http404 from exc
    if shown:
        log_event("anonymous_notification.viewed", obj=notification)
    return notification


def get_child_case_for_user(actor: Actor, pk: int, *, shown: bool = False) -> Suspicion:
    """A child's case the actor's orphan's court was given notice of; Http404 otherwise. With
    ``shown`` the read is audited here as ``child_case.viewed`` (I7)."""
    queryset = child_cases_visible_to(actor).select_related(
        "person__organisation", "hold", "raised_by_organisation"
    )
    try:
        suspicion = queryset.prefetch_related("referrals__to_organisation").get(pk=pk)
    except Suspicion.DoesNotExist as exc:
        raise Http404 from exc
    if shown:
        log_event("child_case.viewed", obj=suspicion)
    return suspicion


def guardian_history(suspicion: Suspicion, *, shown_on: str) -> list[GuardianAppointment]:
    """The guardian appointments of a child's case, the current one first, for a page whose
    accessor already let the actor see the suspicion (the suspicion page, the child page, the
    appointment form). The read is audited here as ``guardian.viewed``, with the ids shown and
    the page, when there is anything to show (I7)."""
    if not suspicion.child_path:
        return []
    newest_first = suspicion.guardian_appointments.select_related("recorded_by", "ended_by")
    appointments = sorted(newest_first, key=lambda a: a.ended_at is not None)
    if appointments:
        details = {"appointments": [a.pk for a in appointments], "page": shown_on}
        log_event("guardian.viewed", obj=suspicion, details=details)
    return appointments


def reads_child_thread(actor: Actor, suspicion: Suspicion) -> bool:
    """Whether the actor reads the thread about this child (the pages link to it)."""
    return suspicion.child_path and child_threads_visible_to(actor).filter(pk=suspicion.pk).exists()


def open_suspicion_of(actor: Actor, person_pk: int) -> Suspicion | None:
    """The person's open suspicion, if the actor may see it (the person page links to it)."""
    return (
        suspicions_visible_to(actor)
        .filter(person_id=person_pk, closed_at__isnull=True)
        .order_by("-raised_at")
        .first()
    )


def awaiting_rescreen(queryset: QuerySet[Suspicion]) -> QuerySet[Suspicion]:
    """Suspicions whose hold was released and whose person has not been screened again since:
    the marker stands until a screening started after the release is completed (one left open
    from before and decided afterwards asks nothing fresh)."""
    from atpazit.screening.models import ScreeningSession

    screened_since = ScreeningSession.objects.filter(
        person=OuterRef("person"),
        completed_at__isnull=False,
        started_at__gt=OuterRef("rescreen_required_since"),
    )
    return queryset.filter(
        rescreen_required_since__isnull=False, person__status__in=PERSON_OPEN_STATUSES
    ).exclude(Exists(screened_since))


def rescreen_obstacles(person_ids: list[int]) -> dict[int, list[RemovalObstacle]]:
    """The removal precondition registered with ``cases.holds`` (apps.ready): a person marked
    "re-screen before removal" cannot be put on a manifest, confirmed on an operation or marked
    departed until a screening started after the mark is completed. One query for any number."""
    waiting = set(
        awaiting_rescreen(Suspicion.objects.filter(person_id__in=person_ids)).values_list(
            "person_id", flat=True
        )
    )
    if not waiting:
        return {}
    obstacle = RemovalObstacle(
        "rescreen_required",
        gettext(
            "re-screen before removal: no screening has been completed since the removal hold was released."
        ),
    )
    return {pk: [obstacle] for pk in waiting}


def rescreen_marker(person_pk: int) -> Suspicion | None:
    """The "re-screen before removal" marker of a person, if it stands. Shown to everyone who may
    see the person page (it is about the removal, not the case)."""
    return (
        awaiting_rescreen(Suspicion.objects.filter(person_id=person_pk))
        .order_by("-rescreen_required_since")
        .first()
    )


def overdue_suspicions(actor: Actor, *, limit: int = 10) -> list[tuple[Suspicion, Deadline]]:
    """For the Ombudsman: suspicions whose hold confirmation or referral answer is overdue,
    most overdue first (a fixed number of queries)."""
    overdue = list(
        Deadline.objects.filter(
            kind__in=[Kind.HOLD_CONFIRMATION, *RESPONSE_KINDS],
            met_at__isnull=True,
            cancelled_at__isnull=True,
            due_at__lt=timezone.now(),
        ).order_by("due_at", "pk")[: limit * 5]
    )
    referral_ids, hold_ids = _subject_ids(overdue, Referral), _subject_ids(overdue, Hold)
    visible = suspicions_visible_to(actor).select_related("person")
    by_hold = {s.hold_id: s for s in visible.filter(hold_id__in=hold_ids.values())}
    by_referral = {
        r.pk: r.suspicion
        for r in Referral.objects.filter(
            pk__in=referral_ids.values(), suspicion__in=visible
        ).select_related("suspicion__person")
    }
    found: list[tuple[Suspicion, Deadline]] = []
    seen: set[int] = set()
    for deadline in overdue:
        suspicion = by_referral.get(referral_ids.get(deadline.pk, 0)) or by_hold.get(
            hold_ids.get(deadline.pk, 0)
        )
        if suspicion is not None and suspicion.pk not in seen and len(found) < limit:
            seen.add(suspicion.pk)
            found.append((suspicion, deadline))
    return found


def _subject_ids(deadlines: list[Deadline], model: type[Referral] | type[Hold]) -> dict[int, int]:
    """Deadline pk -> pk of its subject, for the deadlines about ``model``."""
    prefix = f"{model._meta.label_lower}:"
    return {
        d.pk: int(d.subject.removeprefix(prefix))
        for d in deadlines
        if d.subject.startswith(prefix) and d.subject.removeprefix(prefix).isdigit()
    }
