"""Screenings: the ones of persons the token's organisation may see (read), and
``POST /screenings/evaluate``, which runs the engine — the same ``screening.engine.evaluate``
the screening form, the live preview and ``atpazit screening evaluate`` run — on a request in the
documented format (docs/screening-format.md) and answers the assessment. Evaluate stores
nothing and writes no audit event: its input is indicator codes and age facts, never a person,
so a read-only token may call it; it needs the screener's permission all the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from atpazit.api.framework import ApiError, PageQuery, actor_of, answers, listing, page_of, token
from atpazit.audit.services import log_event
from atpazit.screening.catalogue import (
    AgeGroup,
    CatalogueError,
    Form,
    Stage,
    get_catalogue,
    latest_catalogue,
)
from atpazit.screening.engine import (
    EvidenceSource,
    ScreeningInputError,
    assessment_to_dict,
    evaluate,
    request_from_dict,
)
from atpazit.screening.models import ScreeningSession
from atpazit.screening.selectors import get_session_for_user, session_list

router = Router(tags=["screenings"])


class ScreeningOut(Schema):
    id: int
    person: int
    case_number: str
    stage: str
    catalogue_version: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    recommendation: str
    decision: str


class ScreeningPage(Schema):
    items: list[ScreeningOut]
    limit: int
    offset: int
    next_offset: int | None


class DimensionOut(Schema):
    strong: int
    medium: int
    weak: int
    positive: bool
    indicators: list[str]


class ReasonOut(Schema):
    code: str
    params: dict[str, Any]
    text: str | None = None


class ProfileOut(Schema):
    age_group: str
    form: str


class AssessmentOut(Schema):
    ref: str | None
    catalogue_version: str
    requested_profile: ProfileOut
    profile: ProfileOut
    stage: str | None
    recommendation: str
    fired_rules: list[str]
    pattern: str
    indicators: list[str]
    dimensions: dict[str, DimensionOut]
    third_party_only: list[str]
    rests_on_third_party: bool
    reasons: list[ReasonOut]


class ScreeningDetailOut(ScreeningOut):
    assessment: dict[str, Any] | None


class ProfileIn(Schema):
    age_group: AgeGroup
    form: Form


class PersonFactsIn(Schema):
    age: int | None = Field(None, ge=0, le=130)
    age_disputed: bool = False
    suspected_of_offence: bool = False


class ObservationIn(Schema):
    indicator: str = Field(..., min_length=1, max_length=64)
    source: EvidenceSource
    stage: Stage


class EvaluateIn(Schema):
    """One evaluation request (docs/screening-format.md)."""

    profile: ProfileIn
    person: PersonFactsIn = Field(default_factory=lambda: PersonFactsIn(age=None))
    observations: list[ObservationIn] = Field(..., max_length=200)
    catalogue_version: str | None = Field(None, max_length=16)
    ref: str | None = Field(None, max_length=64)
    stage: Stage | None = None


def screening_out(session: ScreeningSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "person": session.person_id,
        "case_number": session.person.case_number,
        "stage": session.stage,
        "catalogue_version": session.catalogue_version,
        "started_at": session.started_at,
        "completed_at": session.completed_at,
        "recommendation": session.recommendation,
        "decision": session.decision,
    }


@router.get(
    "/screenings",
    response=answers(ScreeningPage),
    auth=token("screening.session:read"),
    url_name="screening_list",
    summary="Screenings of the persons the token's organisation may see",
)
def screening_list_endpoint(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = session_list(actor)
    if query.updated_since is not None:
        since = query.updated_since
        queryset = queryset.filter(started_at__gte=since) | queryset.filter(completed_at__gte=since)
    rows, next_offset = page_of(queryset.order_by("started_at", "pk"), query)
    log_event(
        "screenings.listed", details={"offset": query.offset, "shown": len(rows), "api": True}
    )
    return listing((screening_out(s) for s in rows), query, next_offset)


@router.get(
    "/screenings/{int:screening_id}",
    response=answers(ScreeningDetailOut, 404),
    auth=token("screening.session:read"),
    url_name="screening_detail",
    summary="One screening with its stored assessment; audited screening.viewed",
)
def screening_detail_endpoint(request: HttpRequest, screening_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    session = get_session_for_user(actor, screening_id)  # audited: screening.viewed
    out = screening_out(session)
    out["assessment"] = session.assessment or None
    return out


@router.post(
    "/screenings/evaluate",
    response=answers(AssessmentOut, 400),
    auth=token("screening.session:create"),
    url_name="screening_evaluate",
    summary="Run the screening engine on indicator codes; stores nothing",
)
def screening_evaluate_endpoint(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    actor_of(request)
    try:
        engine_request = request_from_dict(payload.model_dump(mode="json"))
        catalogue = (
            get_catalogue(engine_request.catalogue_version)
            if engine_request.catalogue_version
            else latest_catalogue()
        )
        assessment = evaluate(
            catalogue,
            engine_request.profile,
            engine_request.observations,
            engine_request.person,
            stage=engine_request.stage,
        )
    except ScreeningInputError as exc:
        raise _invalid(exc.field, exc.detail) from None
    except CatalogueError as exc:
        raise _invalid("catalogue_version", "; ".join(exc.problems)) from None
    return assessment_to_dict(assessment, ref=engine_request.ref, lang=get_language())


def _invalid(field: str, message: str) -> ApiError:
    """The engine's own refusal, naming the field as docs/screening-format.md names it."""
    return ApiError(422, "invalid", f"{field}: {message}", fields={field: [message]})
