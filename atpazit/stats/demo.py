"""Synthetic volume for the statistics demo: enough screened persons that the national
coordinator's figures are not all hidden (some cells shown, some suppressed).

The cases demo registers a few hundred invented persons, but only a handful are screened. This
loader screens most of the Riga demo unit's remaining persons, at detention intake or the
pre-return interview, through the screening services exactly as the demo officer would
(``rs.inspektors``): most decided "no action", some "re-screen at the next stage" on one
return-context indicator. Every person is invented (cases/demo.py); nothing here names anyone.
Deterministic (a fixed seed) and idempotent: once the officer has screened more persons than
the screening demo's handful, nothing is added.
"""

from __future__ import annotations

import random

from django.db import transaction

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.cases.models import Hold, Person
from atpazit.screening import services
from atpazit.screening.catalogue import CatalogueError, latest_catalogue
from atpazit.screening.forms import default_prompt_language
from atpazit.screening.models import Decision, ScreeningSession
from atpazit.screening.services import ObservationInput, ProfileInput, SessionSetup

SEED = 1414
RIGA = "Valsts robežsardzes Rīgas pārvalde"
OFFICER = "rs.inspektors"
# The screening demo's own handful stays below this; above it, this loader has run.
ALREADY_LOADED = 40
TARGET = 150
STAGES = ("detention_intake", "pre_return_interview")
RESCREEN_INDICATOR = "RC-01"


def _officer() -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(user__username=OFFICER, is_active=True)
        .first()
    )
    return Actor(user=membership.user, membership=membership) if membership else None


@transaction.atomic
def load() -> list[str]:
    officer = _officer()
    if officer is None:
        return ["stats: demo users missing; load the accounts demo first"]
    done = ScreeningSession.objects.filter(screener=officer.user).count()
    if done >= ALREADY_LOADED:
        return ["stats: demo volume already loaded"]
    try:
        known = {indicator.code for indicator in latest_catalogue()}
    except CatalogueError as exc:
        return [f"stats: no demo volume, the catalogue cannot be loaded ({exc})"]
    held = Hold.objects.active().values("person")
    persons = list(
        Person.objects.filter(organisation__name=RIGA, screenings__isnull=True)
        .exclude(pk__in=held)
        .order_by("case_number")[:TARGET]
    )
    if not persons:
        return ["stats: demo persons missing; load the cases demo first"]
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    for person in persons:
        _screen(officer, person, rng, known)
    return [f"stats: {len(persons)} synthetic screenings added for the statistics demo"]


def _screen(officer: Actor, person: Person, rng: random.Random, known: set[str]) -> None:
    setup = SessionSetup(
        stage=rng.choice(STAGES),
        interview_language=person.preferred_language or "ru",
        prompt_language=default_prompt_language(person),
        officer_language="lv",
        interpreter_used=False,
        interpreter_name="",
    )
    session = services.start_session(actor=officer, person=person, setup=setup)
    decision, reason = Decision.NO_ACTION, "Pārrunās pazīmes netika konstatētas."
    if rng.random() < 0.25 and RESCREEN_INDICATOR in known:
        session = services.set_observations(
            actor=officer,
            session=session,
            observations=[ObservationInput(RESCREEN_INDICATOR, "observed", "")],
            profile=ProfileInput(exploitation_form="unknown"),
            version=session.version,
        )
        decision = Decision.RESCREEN
        reason = "Runāja pavadonis; jāpārrunā atsevišķi nākamajā posmā."
    services.record_decision(
        actor=officer,
        session=session,
        decision=decision,
        reason=reason,
        version=session.version,
    )
