"""Demo data for the reflection period and what follows identification. Everything is invented.

On the core demo's cases (``atpazit.referrals.demo``), through the services, as the demo users
would: the written information handed to Jasur Tursunov (in Russian and Latvian) and to Thi Lan
Nguyen, recognised by Centrs MARTA's commission (in English and Latvian, with an interpreter);
her reflection period granted; and MARTA's request for a SIVA decision, waiting on SIVA's
dashboard. Keyed by the reflection period's decision reference, so running it again adds nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.aftercare.siva import request_service_decision
from atpazit.referrals.models import Suspicion
from atpazit.reflection import services as reflection
from atpazit.reflection.models import ReflectionPeriod

DECISION_REFERENCE = "VP-DEMO-4/NP"
USERS = ("rs.inspektors", "rs.lietvedis", "marta.socdarb")


def _actors() -> dict[str, Actor] | None:
    memberships = Membership.objects.filter(
        user__username__in=USERS, is_active=True
    ).select_related("user", "organisation")
    actors = {m.user.username: Actor(user=m.user, membership=m) for m in memberships}
    return actors if len(actors) == len(USERS) else None


def _suspicion(reference: str) -> Suspicion | None:
    return Suspicion.objects.filter(person__return_decision_reference=reference).first()


def _sheet(actor: Actor, suspicion: Suspicion, person_language: str) -> None:
    sheet, _document = reflection.generate_information_sheet(
        actor=actor, suspicion=suspicion, person_language=person_language, officer_language="lv"
    )
    reflection.record_receipt(actor=actor, sheet=sheet, handed_over_on=timezone.localdate())


@transaction.atomic
def load() -> list[str]:
    """Add the follow-up of the demo cases if missing; idempotent."""
    actors = _actors()
    recognised = _suspicion("RS/DEMO-THB-4")
    sent = _suspicion("RS/DEMO-THB-1")
    if actors is None or recognised is None or sent is None:
        return ["reflection: the referrals demo is missing; load it first"]
    if ReflectionPeriod.objects.filter(decision_reference=DECISION_REFERENCE).exists():
        return ["reflection: demo reflection period and SIVA request already present"]
    _sheet(actors["rs.inspektors"], sent, "ru")
    _sheet(actors["rs.inspektors"], recognised, "en")
    reflection.grant_reflection_period(
        actor=actors["rs.lietvedis"],
        suspicion=recognised,
        granted_on=timezone.localdate(),
        decision_reference=DECISION_REFERENCE,
    )
    request_service_decision(actor=actors["marta.socdarb"], suspicion=recognised)
    return ["reflection: 2 information sheets, 1 reflection period and 1 SIVA request added"]
