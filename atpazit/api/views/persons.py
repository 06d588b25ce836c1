"""Persons in return procedures and their removal holds (read only), scoped like the pages:
``cases.selectors.persons_visible_to`` (a Border Guard unit its own, the Ombudsman's Office all).

Lists carry case numbers and codes only; a person's data comes with ``GET /persons/{id}``, read
through the person page's accessor and audited as ``person.viewed``. ``removal_blocked`` is the
removal guard's own answer (I1: the hold follows the human — a linked record's hold or a held
likely duplicate blocks too). Placing and releasing holds is not offered through the API: both
are recorded decisions with reasons, four eyes where the pages ask for them (ADR 0027).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema

from atpazit.api.framework import PageQuery, actor_of, answers, listing, page_of, token
from atpazit.audit.services import log_event
from atpazit.cases.holds import removal_blocks
from atpazit.cases.models import Hold, Person
from atpazit.cases.reasons import render_hold_reason
from atpazit.cases.selectors import (
    get_hold_for_user,
    get_person_page,
    other_records_shown,
    persons_visible_to,
    with_hold_flag,
)

router = Router(tags=["persons and holds"])

PERSON_READ = "cases.person:read"


class PersonOut(Schema):
    id: int
    case_number: str
    status: str
    organisation: int
    has_active_hold: bool
    planned_removal_date: dt.date | None
    version: int
    updated_at: dt.datetime


class PersonPage(Schema):
    items: list[PersonOut]
    limit: int
    offset: int
    next_offset: int | None


class HoldOut(Schema):
    id: int
    person: int
    cause: str
    active: bool
    started_at: dt.datetime
    confirmed_at: dt.datetime | None
    released_at: dt.datetime | None


class HoldDetailOut(HoldOut):
    case_number: str
    reason: str
    release_decision_reference: str


class HoldPage(Schema):
    items: list[HoldOut]
    limit: int
    offset: int
    next_offset: int | None


class PersonDetailOut(PersonOut):
    given_names: str
    family_name: str
    date_of_birth: str
    birth_year: int | None
    stated_age: int | None
    age_disputed: bool
    sex: str
    nationality: str
    languages: list[str]
    preferred_language: str
    interpreter_needed: bool
    detention_centre: str
    detained_since: dt.date | None
    return_decision_type: str
    return_decision_date: dt.date | None
    voluntary_departure_until: dt.date | None
    appeal_status: str
    removal_blocked: bool
    removal_obstacles: list[str]
    holds: list[HoldOut]
    created_at: dt.datetime


class PersonQuery(PageQuery):
    status: Person.Status | None = None


class HoldQuery(PageQuery):
    state: Literal["", "active", "released"] = ""


def person_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "case_number": person.case_number,
        "status": person.status,
        "organisation": person.organisation_id,
        "has_active_hold": bool(getattr(person, "has_active_hold", False)),
        "planned_removal_date": person.planned_removal_date,
        "version": person.version,
        "updated_at": person.updated_at,
    }


def hold_out(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.pk,
        "person": hold.person_id,
        "cause": hold.cause,
        "active": hold.released_at is None,
        "started_at": hold.started_at,
        "confirmed_at": hold.confirmed_at,
        "released_at": hold.released_at,
    }


@router.get(
    "/persons",
    response=answers(PersonPage),
    auth=token(PERSON_READ),
    url_name="person_list",
    summary="Persons the token's organisation may see (case numbers and codes only)",
)
def person_list_endpoint(request: HttpRequest, query: Query[PersonQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = with_hold_flag(persons_visible_to(actor))
    status = query.status.value if query.status else ""
    if status:
        queryset = queryset.filter(status=status)
    if query.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=query.updated_since)
    fields = ("case_number", "status", "organisation", "planned_removal_date", "version")
    queryset = queryset.only(*fields, "updated_at").order_by("updated_at", "pk")
    rows, next_offset = page_of(queryset, query)
    log_event(
        "persons.listed",
        details={"status": status, "offset": query.offset, "shown": len(rows), "api": True},
    )
    return listing((person_out(p) for p in rows), query, next_offset)


@router.get(
    "/persons/{int:person_id}",
    response=answers(PersonDetailOut, 404),
    auth=token(PERSON_READ),
    url_name="person_detail",
    summary="One person as the person page shows them; audited person.viewed",
    description=(
        "Audited `person.viewed`; when `removal_obstacles` tells of other records "
        "(`linked_record_hold`, `held_possible_duplicate`) also `identity.matches_shown`, "
        "as the person page does when it shows them."
    ),
)
def person_detail_endpoint(request: HttpRequest, person_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    person = get_person_page(actor, person_id)  # audited: person.viewed
    blocked = removal_blocks([person], lock=False).get(person.pk)
    if blocked is not None and (blocked.linked_holds or blocked.duplicates):
        # The answer tells of other records (a linked record's hold, a held likely duplicate):
        # audited as on the person page, which shows them (identity.matches_shown, I7).
        other_records_shown(actor, person)
    holds = list(person.holds.all())
    out = person_out(person)
    out |= {
        "has_active_hold": any(h.released_at is None for h in holds),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "birth_year": person.birth_year,
        "stated_age": person.stated_age,
        "age_disputed": person.age_disputed,
        "sex": person.sex,
        "nationality": person.nationality,
        "languages": list(person.languages or []),
        "preferred_language": person.preferred_language,
        "interpreter_needed": person.interpreter_needed,
        "detention_centre": person.detention_centre,
        "detained_since": person.detained_since,
        "return_decision_type": person.return_decision_type,
        "return_decision_date": person.return_decision_date,
        "voluntary_departure_until": person.voluntary_departure_until,
        "appeal_status": person.appeal_status,
        "removal_blocked": blocked is not None,
        "removal_obstacles": _obstacle_codes(blocked),
        "holds": [hold_out(h) for h in holds],
        "created_at": person.created_at,
    }
    return out


def _obstacle_codes(blocked: Any) -> list[str]:
    if blocked is None:
        return []
    codes = [obstacle.code for obstacle in blocked.obstacles]
    if blocked.holds:
        codes.insert(0, "hold")
    if blocked.linked_holds:
        codes.append("linked_record_hold")
    if blocked.duplicates:
        codes.append("held_possible_duplicate")
    return codes


@router.get(
    "/holds",
    response=answers(HoldPage),
    auth=token(PERSON_READ),
    url_name="hold_list",
    summary="Removal holds on the persons the token's organisation may see",
)
def hold_list_endpoint(request: HttpRequest, query: Query[HoldQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    queryset = Hold.objects.filter(person__in=persons_visible_to(actor))
    if query.state == "active":
        queryset = queryset.filter(pk__in=Hold.objects.active())
    elif query.state == "released":
        queryset = queryset.exclude(pk__in=Hold.objects.active())
    if query.updated_since is not None:
        since = query.updated_since
        queryset = queryset.filter(
            Q(started_at__gte=since) | Q(confirmed_at__gte=since) | Q(released_at__gte=since)
        )
    rows, next_offset = page_of(queryset.order_by("pk"), query)
    log_event(
        "holds.listed",
        details={"state": query.state, "offset": query.offset, "shown": len(rows), "api": True},
    )
    return listing((hold_out(h) for h in rows), query, next_offset)


@router.get(
    "/holds/{int:hold_id}",
    response=answers(HoldDetailOut, 404),
    auth=token(PERSON_READ),
    url_name="hold_detail",
    summary="One removal hold with its reason; audited hold.viewed",
)
def hold_detail_endpoint(request: HttpRequest, hold_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    hold = get_hold_for_user(actor, hold_id, shown=True)  # audited: hold.viewed
    return hold_out(hold) | {
        "case_number": hold.person.case_number,
        "reason": render_hold_reason(hold.reason_code, hold.reason_params, hold.reason),
        "release_decision_reference": hold.release_decision_reference,
    }
