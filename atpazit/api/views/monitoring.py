"""Forced-return monitoring (read only): the missions and the recommendations addressed to the
reader, scoped like the pages (``monitoring.selectors.missions_visible_to``: the Office its own
missions, a Border Guard unit the announced missions about its operations;
``findings_selectors.recommendations_visible_to``: the Office its own, the Border Guard those
sent to it). A recommendation's text may describe a returnee: it comes with the detail, read
through the page's accessor and audited ``recommendation.viewed``. Answering a recommendation
stays on its page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from atpazit.api.framework import PageQuery, actor_of, answers, listing, page_of, token
from atpazit.audit.services import log_event
from atpazit.monitoring.findings_selectors import (
    get_recommendation_for_user,
    recommendations_visible_to,
)
from atpazit.monitoring.models import Mission, Recommendation
from atpazit.monitoring.selectors import missions_visible_to

router = Router(tags=["monitoring"])


class MissionOut(Schema):
    id: int
    operation: int
    organisation: int
    status: str
    announced_at: dt.datetime | None


class MissionPage(Schema):
    items: list[MissionOut]
    limit: int
    offset: int
    next_offset: int | None


class RecommendationOut(Schema):
    id: int
    mission: int
    status: str
    addressee: int | None
    sent_at: dt.datetime | None
    response_due_at: dt.datetime | None
    response: str


class RecommendationDetailOut(RecommendationOut):
    text: str
    response_reasons: str
    response_actions: str


class RecommendationPage(Schema):
    items: list[RecommendationOut]
    limit: int
    offset: int
    next_offset: int | None


def mission_out(mission: Mission) -> dict[str, Any]:
    return {
        "id": mission.pk,
        "operation": mission.operation_id,
        "organisation": mission.organisation_id,
        "status": mission.status,
        "announced_at": mission.announced_at,
    }


def recommendation_out(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "id": recommendation.pk,
        "mission": recommendation.finding.mission_id,
        "status": recommendation.status,
        "addressee": recommendation.addressee_id,
        "sent_at": recommendation.sent_at,
        "response_due_at": recommendation.response_due_at,
        "response": recommendation.response,
    }


@router.get(
    "/missions",
    response=answers(MissionPage),
    auth=token("monitoring.mission:read"),
    url_name="mission_list",
    summary="Monitoring missions the token's organisation may see",
)
def mission_list_endpoint(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = missions_visible_to(actor)
    if query.updated_since is not None:
        queryset = queryset.filter(announced_at__gte=query.updated_since)
    rows, next_offset = page_of(queryset.order_by("pk"), query)
    log_event("missions.listed", details={"offset": query.offset, "shown": len(rows), "api": True})
    return listing((mission_out(m) for m in rows), query, next_offset)


@router.get(
    "/recommendations",
    response=answers(RecommendationPage),
    auth=token("monitoring.recommendation:read"),
    url_name="recommendation_list",
    summary="Monitoring recommendations addressed to (or made by) the token's organisation",
)
def recommendation_list_endpoint(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = recommendations_visible_to(actor).select_related("finding")
    if query.updated_since is not None:
        queryset = queryset.filter(sent_at__gte=query.updated_since)
    rows, next_offset = page_of(queryset.order_by("pk"), query)
    log_event(
        "recommendations.listed",
        details={"offset": query.offset, "shown": len(rows), "api": True},
    )
    return listing((recommendation_out(r) for r in rows), query, next_offset)


@router.get(
    "/recommendations/{int:recommendation_id}",
    response=answers(RecommendationDetailOut, 404),
    auth=token("monitoring.recommendation:read"),
    url_name="recommendation_detail",
    summary="One recommendation with its text and answer; audited recommendation.viewed",
)
def recommendation_detail_endpoint(request: HttpRequest, recommendation_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    recommendation = get_recommendation_for_user(actor, recommendation_id)  # audited
    return recommendation_out(recommendation) | {
        "text": recommendation.text,
        "response_reasons": recommendation.response_reasons,
        "response_actions": recommendation.response_actions,
    }
