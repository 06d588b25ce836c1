"""SIVA's service decision: SIVA's scope (I6), the provider's request with its 3-working-day
deadline, the decision (assigned, queued, refused), and SIVA's dashboard panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.aftercare.common import (
    SIVA_CATEGORIES,
    Decision,
    date_errors,
    followup_url,
    legal_basis,
    reference_errors,
)
from atpazit.aftercare.models import Rehabilitation, ServiceDecision, ServiceRequest
from atpazit.audit.services import log_event, record_disclosure
from atpazit.deadlines.rules import Kind, due_at
from atpazit.deadlines.services import meet_deadlines, open_deadline
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.lib.registry import Panel
from atpazit.notifications.services import notify
from atpazit.referrals import services as core
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.visibility import WORKING_STATUSES
from atpazit.reflection import services as reflection

# --- SIVA's scope (I6) -------------------------------------------------------------------------


def siva_followup_scope(
    queryset: QuerySet[Suspicion], organisation: Organisation
) -> QuerySet[Suspicion]:
    """SIVA's rule: the cases a provider asked ``organisation`` to decide on. Its part of
    ``referrals.visibility.followup_suspicions_visible_to``, registered in
    ``AftercareConfig.ready``; SIVA's inbox reads it through ``siva_suspicions_visible_to``."""
    requested = ServiceRequest.objects.filter(
        suspicion=OuterRef("pk"), to_organisation=organisation
    )
    return queryset.filter(Exists(requested))


def siva_suspicions_visible_to(actor: Actor) -> QuerySet[Suspicion]:
    """Suspicions a provider asked the actor's SIVA organisation to decide on
    (``siva_followup_scope``); none for anyone else."""
    organisation = actor.organisation
    if (
        organisation is None
        or organisation.type != OrganisationType.SIVA
        or not actor.can("referrals.siva:decide")
    ):
        return Suspicion.objects.none()
    return siva_followup_scope(Suspicion.objects.select_related("person"), organisation)


def service_requests_for(actor: Actor) -> QuerySet[ServiceRequest]:
    """The SIVA inbox: requests to the actor's organisation, oldest (so soonest due) first."""
    organisation = actor.organisation
    if (
        organisation is None
        or organisation.type != OrganisationType.SIVA
        or not actor.can("referrals.siva:decide")
    ):
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(to_organisation=organisation)
        .select_related("suspicion__person", "requested_by_organisation")
        .order_by("requested_at", "pk")
    )


FINAL_DECISIONS = (Decision.ASSIGNED, Decision.REFUSED)


def waiting_requests(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Requests without any decision: the 3-working-day clock runs."""
    return requests.filter(decisions__isnull=True)


def queued_requests(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Requests whose person is in the queue: a later decision is still due."""
    queued = requests.filter(decisions__decision=Decision.QUEUED)
    return queued.exclude(decisions__decision__in=FINAL_DECISIONS).distinct()


def decided_requests(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return requests.filter(decisions__decision__in=FINAL_DECISIONS).distinct()


@dataclass(frozen=True)
class SivaInbox:
    waiting: list[ServiceRequest]
    queued: list[ServiceRequest]
    decided: list[ServiceRequest]


def siva_inbox(actor: Actor) -> SivaInbox:
    """SIVA's inbox as its page shows it: the requests waiting for a decision and the queued
    (soonest due first, at most 200 each), the latest 50 decided. The read is audited here as
    ``siva.inbox_viewed`` with the three counts (I7)."""
    requests = service_requests_for(actor)
    inbox = SivaInbox(
        waiting=list(waiting_requests(requests)[:200]),
        queued=list(queued_requests(requests)[:200]),
        decided=list(decided_requests(requests).order_by("-requested_at", "-pk")[:50]),
    )
    counts = {"waiting": len(inbox.waiting), "queued": len(inbox.queued)}
    log_event("siva.inbox_viewed", details=counts | {"decided": len(inbox.decided)})
    return inbox


def get_service_request_for_user(actor: Actor, pk: int, *, shown: bool = False) -> ServiceRequest:
    """A request to the actor's SIVA office; Http404 otherwise. With ``shown`` its decision
    page is displayed, and the read is audited here as ``siva.request_viewed`` (I7)."""
    try:
        request = service_requests_for(actor).get(pk=pk)
    except ServiceRequest.DoesNotExist as exc:
        raise Http404 from exc
    if shown:
        log_event("siva.request_viewed", obj=request, details={"suspicion": request.suspicion_id})
    return request


def decision_due(request: ServiceRequest) -> dt.datetime:
    """When SIVA's decision on ``request`` falls due (3 Latvian working days by default)."""
    return due_at(Kind.SIVA_DECISION, request.requested_at)


@dataclass(frozen=True)
class SivaCase:
    """Everything SIVA is shown about a person: the minimum its decision needs."""

    request: ServiceRequest
    identification: reflection.Identification | None
    decisions: list[ServiceDecision]
    rehabilitation: Rehabilitation | None
    due: dt.datetime

    @property
    def waiting(self) -> bool:
        return not self.decisions or self.decisions[0].decision == Decision.QUEUED


def siva_case(request: ServiceRequest) -> SivaCase:
    suspicion = request.suspicion
    return SivaCase(
        request=request,
        identification=reflection.identification_of(suspicion),
        decisions=list(request.decisions.order_by("-decided_on", "-pk")),
        rehabilitation=Rehabilitation.objects.filter(suspicion=suspicion).first(),
        due=decision_due(request),
    )


# --- asking SIVA for a decision ------------------------------------------------------------------


def latest_service_decision(suspicion: Suspicion) -> ServiceDecision | None:
    return suspicion.service_decisions.order_by("-decided_on", "-pk").first()


def pending_request(suspicion: Suspicion) -> ServiceRequest | None:
    """A request SIVA has not finally decided (no decision yet, or the person is queued)."""
    for request in suspicion.service_requests.order_by("-requested_at", "-pk"):
        latest = request.decisions.order_by("-decided_on", "-pk").first()
        if latest is None or latest.decision == Decision.QUEUED:
            return request
    return None


def siva_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(type=OrganisationType.SIVA, is_active=True).order_by("name")


def request_blockers(suspicion: Suspicion) -> list[str]:
    """Translated reasons why SIVA cannot be asked for a decision now."""
    reasons = []
    if suspicion.closed_at is not None:
        reasons.append(_("This suspicion is closed."))
    if not reflection.is_identified(suspicion):
        reasons.append(
            _(
                "SIVA decides on the service after identification: no track has recognised the person yet."
            )
        )
    if pending_request(suspicion) is not None:
        reasons.append(_("SIVA has been asked already and has not decided finally yet."))
    latest = latest_service_decision(suspicion)
    if latest is not None and latest.decision == Decision.ASSIGNED:
        reasons.append(_("SIVA has already assigned the service."))
    return reasons


def provider_referral(actor: Actor, suspicion: Suspicion) -> Referral:
    referral = suspicion.referrals.filter(
        to_organisation=actor.organisation,
        track=Referral.Track.PROVIDER,
        status__in=WORKING_STATUSES,
    ).first()
    if referral is None:
        raise NotAllowed(_("Only a service provider working on this case can do this."))
    return referral


def _choose_siva(siva: Organisation | None) -> Organisation:
    if siva is not None:
        if siva.type != OrganisationType.SIVA or not siva.is_active:
            raise InvalidInput({"siva": [_("Choose the SIVA organisation.")]})
        return siva
    organisations = list(siva_organisations()[:2])
    if not organisations:
        raise ServiceError(
            _("No SIVA organisation is set up in Atpazīt: ask the system administrator.")
        )
    if len(organisations) > 1:
        raise InvalidInput({"siva": [_("Choose the SIVA organisation.")]})
    return organisations[0]


@transaction.atomic
def request_service_decision(
    *, actor: Actor, suspicion: Suspicion, siva: Organisation | None = None
) -> ServiceRequest:
    """The provider asks SIVA to decide on state-funded social rehabilitation for an identified
    person: SIVA is notified, and its 3-working-day deadline starts. Only the case number, the
    child marker, the identification route and date and the provider leave for SIVA, on the
    person's consent (their application) or, for a child, by law; a withdrawn consent stops it.

    Needs ``referrals.siva:request`` in a provider working on the case. Raises InvalidInput,
    NotAllowed, ServiceError, DisclosureRefused.
    """
    organisation = reflection.require_in_scope(actor, "referrals.siva:request", suspicion)
    current = core.lock_suspicion(suspicion)
    referral = provider_referral(actor, current)
    blockers = request_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    refusal = core.disclosure_refusal(referral)
    if refusal is not None:
        raise refusal
    target = _choose_siva(siva)
    request = ServiceRequest.objects.create(
        suspicion=current,
        to_organisation=target,
        requested_by=actor.user,
        requested_by_organisation=organisation,
    )
    case_number = current.person.case_number
    link = reverse("aftercare:siva_decision", kwargs={"pk": request.pk})
    record_disclosure(
        from_organisation=organisation,
        to_organisation=target,
        subject=request,
        legal_basis=legal_basis(current),
        purpose="decision on state-funded social rehabilitation (Cabinet Regulation No. 344)",
        data_categories=SIVA_CATEGORIES,
        case_number=case_number,
        recorded_by=actor.user,
    )
    open_deadline(
        kind=Kind.SIVA_DECISION,
        subject=request,
        responsible_organisation=target,
        case_number=case_number,
        link=link,
    )
    notify(
        organisation=target,
        kind="siva.decision_requested",
        link=link,
        case_number=case_number,
        permission="referrals.siva:decide",
    )
    log_event("siva.requested", obj=request, details={"suspicion": current.pk, "to": target.pk})
    return request


@transaction.atomic
def record_service_decision(
    *,
    actor: Actor,
    request: ServiceRequest,
    decision: str,
    decided_on: dt.date | None,
    reference: str,
) -> ServiceDecision:
    """SIVA assigns the service, queues the person or refuses. The first decision meets the
    deadline; a queued person gets a later decision on the same request. The provider is told.

    Needs ``referrals.siva:decide`` in the SIVA organisation asked. Raises InvalidInput,
    NotAllowed, ServiceError (already decided finally).
    """
    if not actor.can("referrals.siva:decide") or actor.organisation is None:
        raise NotAllowed(_("Your role does not allow this."))
    current = (
        ServiceRequest.objects.select_for_update()
        .select_related("suspicion__person")
        .get(pk=request.pk)
    )
    if current.to_organisation_id != actor.organisation.pk:
        raise NotAllowed(_("This request was sent to another organisation."))
    latest = current.decisions.order_by("-decided_on", "-pk").first()
    if latest is not None and latest.decision != Decision.QUEUED:
        raise ServiceError(_("SIVA has already decided on this request."))
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Choose the decision.")]
    elif latest is not None and decision == Decision.QUEUED:
        errors["decision"] = [
            _("The person is already in the queue: record the decision that follows.")
        ]
    requested_on = timezone.localtime(current.requested_at).date()
    date_errors(
        decided_on, "decided_on", errors, not_before=latest.decided_on if latest else requested_on
    )
    reference_errors(reference, errors)
    core.raise_if_errors(errors)
    assert decided_on is not None
    suspicion = current.suspicion
    made = ServiceDecision.objects.create(
        suspicion=suspicion,
        request=current,
        decision=decision,
        decided_on=decided_on,
        reference=reference,
        decided_by=actor.user,
    )
    meet_deadlines(subject=current, kinds=[Kind.SIVA_DECISION])
    record_disclosure(
        from_organisation=actor.organisation,
        to_organisation=current.requested_by_organisation,
        subject=made,
        legal_basis=Referral.LegalBasis.LAW,
        purpose="SIVA's service decision, to the provider that asked",
        data_categories=["case_number", "service_decision"],
        case_number=suspicion.person.case_number,
        recorded_by=actor.user,
    )
    notify(
        organisation=current.requested_by_organisation,
        kind="siva.decided",
        link=followup_url(suspicion),
        case_number=suspicion.person.case_number,
        permission="referrals.siva:request",
    )
    log_event("siva.decided", obj=made, details={"request": current.pk, "decision": decision})
    return made


# --- SIVA dashboard ------------------------------------------------------------------------------

PANEL_ROWS = 10


def siva_panel(actor: Actor) -> Panel | None:
    """SIVA's front page: requests waiting for a decision, soonest due first, and the queue."""
    if actor.organisation is None or actor.organisation.type != OrganisationType.SIVA:
        return None
    if not actor.can("referrals.siva:decide"):
        return None
    requests = service_requests_for(actor)
    waiting = waiting_requests(requests)
    rows = [(request, decision_due(request)) for request in waiting[:PANEL_ROWS]]
    context = {
        "rows": rows,
        "waiting_count": waiting.count(),
        "queued_count": queued_requests(requests).count(),
        "now": timezone.now(),
    }
    return Panel(
        gettext_lazy("Service decisions waiting for you"),
        "aftercare/aftercare_siva_panel.html",
        context,
    )
