"""Return decisions recorded after identification (read only), one case at a time as the
follow-up page shows them (``aftercare.get_aftercare_case``: the follow-up scope of the pages,
404 outside it, the read audited ``aftercare.viewed``). No page lists return decisions across
cases, so neither does the API (ADR 0027: an operation exists only where a page does the same).
Recording one stays on the follow-up page, which checks the residence-permit track and the hold
it ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from atpazit.aftercare.common import get_aftercare_case
from atpazit.api.framework import actor_of, answers, token

router = Router(tags=["after identification"])


class ReturnDecisionOut(Schema):
    id: int
    kind: str
    kind_label: str
    decided_on: dt.date
    reference: str
    recorded_at: dt.datetime


class CaseReturnDecisionsOut(Schema):
    suspicion: int
    case_number: str
    return_decisions: list[ReturnDecisionOut]


@router.get(
    "/suspicions/{int:suspicion_id}/return-decisions",
    response=answers(CaseReturnDecisionsOut, 404),
    auth=token("referrals.followup:read"),
    url_name="case_return_decisions",
    summary="The return decisions of one case, as its follow-up page shows them",
)
def case_return_decisions_endpoint(request: HttpRequest, suspicion_id: int) -> dict[str, Any]:
    """The case is the suspicion a referral names (``suspicion`` of ``GET /referrals/{id}``).
    Audited ``aftercare.viewed`` as on the follow-up page."""
    actor = actor_of(request)
    suspicion = get_aftercare_case(actor, suspicion_id, shown_on="api:v1:case_return_decisions")
    return {
        "suspicion": suspicion.pk,
        "case_number": suspicion.person.case_number,
        "return_decisions": [
            {
                "id": d.pk,
                "kind": d.kind,
                "kind_label": str(d.get_kind_display()),
                "decided_on": d.decided_on,
                "reference": d.reference,
                "recorded_at": d.recorded_at,
            }
            for d in suspicion.return_decisions.all()
        ],
    }
