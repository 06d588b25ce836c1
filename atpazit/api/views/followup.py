"""Return decisions recorded after identification (read only), in the follow-up scope of the
pages (``referrals.visibility.followup_suspicions_visible_to``: the Ombudsman's Office all, a
Border Guard unit its persons, a provider or the police the cases they accepted). Case numbers,
codes, dates and the decision's reference: recording one stays on the aftercare page, which
checks the residence-permit track and the hold it ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from atpazit.aftercare.models import ReturnDecision
from atpazit.api.framework import PageQuery, actor_of, answers, listing, page_of, token
from atpazit.audit.services import log_event
from atpazit.referrals.visibility import followup_suspicions_visible_to

router = Router(tags=["after identification"])


class ReturnDecisionOut(Schema):
    id: int
    suspicion: int
    case_number: str
    kind: str
    decided_on: dt.date
    reference: str
    recorded_at: dt.datetime


class ReturnDecisionPage(Schema):
    items: list[ReturnDecisionOut]
    limit: int
    offset: int
    next_offset: int | None


@router.get(
    "/return-decisions",
    response=answers(ReturnDecisionPage),
    auth=token("referrals.followup:read"),
    url_name="return_decision_list",
    summary="Return decisions after identification, in the follow-up scope",
)
def return_decision_list_endpoint(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = ReturnDecision.objects.filter(
        suspicion__in=followup_suspicions_visible_to(actor)
    ).select_related("suspicion__person")
    if query.updated_since is not None:
        queryset = queryset.filter(recorded_at__gte=query.updated_since)
    rows, next_offset = page_of(queryset.order_by("recorded_at", "pk"), query)
    log_event(
        "return_decisions.listed",
        details={"offset": query.offset, "shown": len(rows), "api": True},
    )
    return listing(
        (
            {
                "id": d.pk,
                "suspicion": d.suspicion_id,
                "case_number": d.suspicion.person.case_number,
                "kind": d.kind,
                "decided_on": d.decided_on,
                "reference": d.reference,
                "recorded_at": d.recorded_at,
            }
            for d in rows
        ),
        query,
        next_offset,
    )
