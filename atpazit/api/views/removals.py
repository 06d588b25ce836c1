"""Removal operations and their manifests (read only), scoped like the pages
(``removals.selectors``: a Border Guard unit its own operations, the Ombudsman's Office all).

The manifest is the pre-departure check's: the same rows, the same blocking conflicts (I1, I4),
case numbers and codes only; reading it is audited as on the operation page
(``operation.viewed`` with the number of persons). Planning, confirming and completing
operations stay on the pages, where the escort leader sees every conflict before acting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from atpazit.api.framework import PageQuery, actor_of, answers, listing, page_of, token
from atpazit.audit.services import log_event
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import (
    ManifestRow,
    get_operation_for_user,
    operations_visible_to,
    pre_departure_check,
    with_manifest_counts,
)

router = Router(tags=["removal operations"])

READ = "removals.operation:read"


class OperationOut(Schema):
    id: int
    reference: str
    type: str
    status: str
    departure_at: dt.datetime
    country_of_return: str
    organisation: int
    manifest_count: int
    version: int
    updated_at: dt.datetime


class OperationPage(Schema):
    items: list[OperationOut]
    limit: int
    offset: int
    next_offset: int | None


class ManifestRowOut(Schema):
    entry: int
    person: int
    case_number: str
    held: bool
    conflict: bool
    blocked: bool
    child: bool
    screening: str
    interview_before_departure: bool
    obstacles: list[str]


class OperationDetailOut(OperationOut):
    conflicts: int
    manifest: list[ManifestRowOut]


def operation_out(operation: RemovalOperation, manifest_count: int | None = None) -> dict[str, Any]:
    return {
        "id": operation.pk,
        "reference": operation.reference,
        "type": operation.type,
        "status": operation.status,
        "departure_at": operation.departure_at,
        "country_of_return": operation.country_of_return,
        "organisation": operation.organisation_id,
        "manifest_count": getattr(operation, "manifest_count", manifest_count or 0),
        "version": operation.version,
        "updated_at": operation.updated_at,
    }


def row_out(row: ManifestRow) -> dict[str, Any]:
    return {
        "entry": row.entry.pk,
        "person": row.person.pk,
        "case_number": row.person.case_number,
        "held": row.is_held,
        "conflict": row.is_conflict,
        "blocked": row.is_blocked,
        "child": row.is_child,
        "screening": row.screening.value,
        "interview_before_departure": row.interview_before_departure,
        "obstacles": [obstacle.code for obstacle in row.obstacles],
    }


@router.get(
    "/operations",
    response=answers(OperationPage),
    auth=token(READ),
    url_name="operation_list",
    summary="Removal operations the token's organisation may see",
)
def operation_list_endpoint(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = with_manifest_counts(operations_visible_to(actor))
    if query.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=query.updated_since)
    rows, next_offset = page_of(queryset.order_by("updated_at", "pk"), query)
    log_event(
        "operations.listed", details={"offset": query.offset, "shown": len(rows), "api": True}
    )
    return listing((operation_out(o) for o in rows), query, next_offset)


@router.get(
    "/operations/{int:operation_id}",
    response=answers(OperationDetailOut, 404),
    auth=token(READ),
    url_name="operation_detail",
    summary="One operation with its manifest as the pre-departure check shows it",
)
def operation_detail_endpoint(request: HttpRequest, operation_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    operation = get_operation_for_user(actor, operation_id)
    check = pre_departure_check(operation, shown_on="detail")  # audited: operation.viewed
    out = operation_out(operation, manifest_count=len(check.rows))
    out["conflicts"] = len(check.conflicts)
    out["manifest"] = [row_out(row) for row in check.rows]
    return out
