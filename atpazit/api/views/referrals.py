"""Referrals: a provider's or the police's system reads the referrals sent to its organisation,
answers them and records their outcome (the commission's assessment, the police's decision on
proceedings and victim status); the Border Guard's reads those about its unit's persons and
withdraws them.

The same accessors and services as the pages (``referrals.selectors``, ``transition_referral``):
the same scope (404 outside it), the same status table, permission and organisation checks,
the same audit events, and a ``version`` that detects a concurrent change (409). No outcome
releases a hold: that stays the unit's recorded decision on the pages (ADR 0027, DESIGN I1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from atpazit.api.framework import NO_NUL, PageQuery, actor_of, answers, listing, page_of, token
from atpazit.audit.services import log_event
from atpazit.referrals import services
from atpazit.referrals.access import referral_parts
from atpazit.referrals.models import CommissionAssessment, PoliceOutcome, Referral
from atpazit.referrals.selectors import (
    ReferralFilters,
    get_referral_for_user,
    get_referral_page,
    referral_list,
)

router = Router(tags=["referrals"])


class ReferralOut(Schema):
    id: int
    case_number: str
    suspicion: int
    track: str
    status: str
    status_label: str
    version: int
    to_organisation: int
    legal_basis: str
    child_path: bool
    sent_at: dt.datetime
    status_changed_at: dt.datetime
    response_due: dt.datetime | None


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str | None


class ReferralDetailOut(ReferralOut):
    package: dict[str, Any] | None
    transitions: list[TransitionOut]


class ReferralPage(Schema):
    items: list[ReferralOut]
    limit: int
    offset: int
    next_offset: int | None


class ReferralQuery(PageQuery):
    status: Literal["", "open", "ended"] = ""


def referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "case_number": referral.suspicion.person.case_number,
        "suspicion": referral.suspicion_id,
        "track": referral.track,
        "status": referral.status,
        "status_label": str(referral.get_status_display()),
        "version": referral.version,
        "to_organisation": referral.to_organisation_id,
        "legal_basis": referral.legal_basis,
        "child_path": referral.suspicion.child_path,
        "sent_at": referral.sent_at,
        "status_changed_at": referral.status_changed_at,
        "response_due": getattr(referral, "response_due", None),
    }


@router.get(
    "/referrals",
    response=answers(ReferralPage),
    auth=token("referrals.referral:read"),
    url_name="referral_list",
    summary="Referrals the token's organisation may see",
)
def referral_list_endpoint(request: HttpRequest, query: Query[ReferralQuery]) -> dict[str, Any]:
    """Oldest change first, so a system can sync with ``updated_since`` and ``next_offset``."""
    actor = actor_of(request)
    queryset = referral_list(actor, ReferralFilters(status=query.status))
    if query.updated_since is not None:
        queryset = queryset.filter(status_changed_at__gte=query.updated_since)
    rows, next_offset = page_of(
        queryset.select_related("suspicion__person").order_by("status_changed_at", "pk"), query
    )
    log_event(
        "referrals.listed",
        details={"status": query.status, "offset": query.offset, "shown": len(rows), "api": True},
    )
    return listing((referral_out(r) for r in rows), query, next_offset)


@router.get(
    "/referrals/{int:referral_id}",
    response=answers(ReferralDetailOut, 404),
    auth=token("referrals.referral:read"),
    url_name="referral_detail",
    summary="One referral: the package only for its receiver",
)
def referral_detail_endpoint(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    referral = get_referral_page(actor, referral_id)  # audited: referral.viewed
    parts = referral_parts(actor, referral)
    out = referral_out(referral)
    out["package"] = services.package_of(referral) if parts.package else None
    out["transitions"] = [
        {
            "from_status": t.from_status,
            "to_status": t.to_status,
            "at": t.at,
            "reason": t.reason if parts.transition_reasons else None,
        }
        for t in referral.transitions.all()
    ]
    return out


class RespondIn(Schema):
    action: Literal["accept", "decline", "assess"]
    reason: str = ""
    version: int


class SenderMoveIn(Schema):
    action: Literal["withdraw", "expire"]
    reason: str = ""
    version: int


RESPOND = {"accept": "accepted", "decline": "declined", "assess": "assessing"}
SENDER_MOVE = {"withdraw": "withdrawn", "expire": "expired"}


@router.post(
    "/referrals/{int:referral_id}/respond",
    response=answers(ReferralOut, 400, 404, 409),
    auth=token("referrals.referral:respond", writes=True),
    url_name="referral_respond",
    summary="Accept, decline (with a reason) or start the assessment: the receiver",
)
def referral_respond_endpoint(
    request: HttpRequest, referral_id: int, payload: RespondIn
) -> dict[str, Any]:
    actor = actor_of(request)
    referral = get_referral_for_user(actor, referral_id)
    moved = services.transition_referral(
        actor=actor,
        referral=referral,
        to_status=RESPOND[payload.action],
        reason=payload.reason,
        version=payload.version,
    )
    return referral_out(moved)


@router.post(
    "/referrals/{int:referral_id}/withdraw",
    response=answers(ReferralOut, 400, 404, 409),
    auth=token("referrals.referral:send", writes=True),
    url_name="referral_withdraw",
    summary="Withdraw a referral, or close an unanswered one as expired: the sender",
)
def referral_withdraw_endpoint(
    request: HttpRequest, referral_id: int, payload: SenderMoveIn
) -> dict[str, Any]:
    actor = actor_of(request)
    referral = get_referral_for_user(actor, referral_id)
    moved = services.transition_referral(
        actor=actor,
        referral=referral,
        to_status=SENDER_MOVE[payload.action],
        reason=payload.reason,
        version=payload.version,
    )
    return referral_out(moved)


class CommissionIn(Schema):
    assessed_on: dt.date = Field(..., description="The date of the commission (not in the future).")
    members_present: str = Field(..., description="Name and role of each member present.")
    result: CommissionAssessment.Result
    protocol_reference: str = Field(
        ..., pattern=NO_NUL, description="The assessment protocol's reference (≤ 64)."
    )
    notes: str = Field(
        "", description="Seen only by the provider; the Border Guard sees the result."
    )
    version: int


class PoliceOutcomeIn(Schema):
    proceedings: PoliceOutcome.Proceedings
    victim_status: PoliceOutcome.VictimStatus
    proceedings_reference: str = Field(
        "", pattern=NO_NUL, description="The proceedings number (≤ 64)."
    )
    decided_on: dt.date | None = Field(
        None, description="The date of the decision on proceedings (needed unless pending)."
    )
    notes: str = Field("", description="Seen only by the police.")
    version: int


@router.post(
    "/referrals/{int:referral_id}/commission-assessment",
    response=answers(ReferralOut, 400, 404, 409),
    auth=token("referrals.commission:record", writes=True),
    url_name="referral_commission",
    summary="Record the commission's assessment: the receiving provider",
)
def referral_commission_endpoint(
    request: HttpRequest, referral_id: int, payload: CommissionIn
) -> dict[str, Any]:
    """The commission of specialists' assessment (Cabinet Regulation No. 344) on an accepted or
    assessing provider track: "criteria_met" moves it to recognised, "criteria_not_met" to not
    recognised, through ``record_commission_assessment`` as on the commission page. The hold
    stays: releasing it is the unit's recorded decision."""
    actor = actor_of(request)
    referral = get_referral_for_user(actor, referral_id)
    assessment = services.record_commission_assessment(
        actor=actor,
        referral=referral,
        assessed_on=payload.assessed_on,
        members_present=payload.members_present,
        result=payload.result.value,
        protocol_reference=payload.protocol_reference,
        notes=payload.notes,
        version=payload.version,
    )
    return referral_out(assessment.referral)


@router.post(
    "/referrals/{int:referral_id}/police-outcome",
    response=answers(ReferralOut, 400, 404, 409),
    auth=token("referrals.police:record", writes=True),
    url_name="referral_police_outcome",
    summary="Record criminal proceedings and victim status: the receiving State Police",
)
def referral_police_outcome_endpoint(
    request: HttpRequest, referral_id: int, payload: PoliceOutcomeIn
) -> dict[str, Any]:
    """The police track's outcome, through ``record_police_outcome`` as on the police page:
    victim status recognised moves the track to recognised; proceedings refused or victim status
    not recognised to not recognised; otherwise it stays under assessment and may be recorded
    again. The provider track is never touched, and the hold stays."""
    actor = actor_of(request)
    referral = get_referral_for_user(actor, referral_id)
    outcome = services.record_police_outcome(
        actor=actor,
        referral=referral,
        proceedings=payload.proceedings.value,
        victim_status=payload.victim_status.value,
        proceedings_reference=payload.proceedings_reference,
        decided_on=payload.decided_on,
        notes=payload.notes,
        version=payload.version,
    )
    return referral_out(outcome.referral)
