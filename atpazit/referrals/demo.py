"""Demo suspicions of trafficking in the states of the journey. Every person here is invented.

Seven invented persons of the Riga unit, each registered and taken through the referral flow by
the services, exactly as the demo users would: referrals just sent, accepted, under assessment,
recognised by a commission, a child on the child-protection path, an adult who refused (an
anonymous notification), and a police refusal with the provider's track still open. Keyed by
their return-decision references, so running ``atpazit demo`` again adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.cases import services as cases_services
from atpazit.cases.models import Person
from atpazit.referrals import services
from atpazit.referrals.models import Referral, Suspicion

RIGA = "Valsts robežsardzes Rīgas pārvalde"
USERS = (
    "rs.inspektors",
    "rs.lietvedis",
    "tb.monitors",
    "marta.socdarb",
    "marta.komisija",
    "dm.socdarb",
    "vp.izmekletajs",
)


@dataclass(frozen=True)
class Cast:
    """The demo users as actors, and the organisations referrals go to."""

    officer: Actor
    case_officer: Actor
    monitor: Actor
    marta: Actor
    marta_commission: Actor
    drosa_maja: Actor
    police: Actor


def _cast() -> Cast | None:
    memberships = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=USERS, is_active=True).select_related(
            "user", "organisation"
        )
    }
    if len(memberships) < len(USERS):
        return None
    actors = [Actor(user=memberships[name].user, membership=memberships[name]) for name in USERS]
    return Cast(*actors)


def _person(cast: Cast, reference: str, **data: Any) -> Person:
    today = timezone.localdate()
    values = {
        "given_names": "",
        "aliases": "",
        "date_of_birth": None,
        "birth_year": None,
        "stated_age": None,
        "age_disputed": False,
        "interpreter_needed": True,
        "detention_centre": "mucenieki",
        "detained_since": today - timedelta(days=6),
        "detention_court_order_on": today - timedelta(days=4),
        "return_decision_type": "forced_removal",
        "return_decision_reference": reference,
        "return_decision_date": today - timedelta(days=12),
        "appeal_status": "none",
    } | data
    return cases_services.register_person(actor=cast.case_officer, data=values)


def _raise(actor: Actor, person: Person, reason: str) -> Suspicion:
    return services.raise_suspicion(actor=actor, person=person, reason=reason)


def _consent(
    actor: Actor, suspicion: Suspicion, scope: str, language: str, *, interpreter: str = ""
) -> None:
    services.record_consent(
        actor=actor,
        suspicion=suspicion,
        decision="given" if scope else "refused",
        scope=scope,
        language=language,
        interpreter_used=bool(interpreter),
        interpreter_name=interpreter,
        explained_on=timezone.localdate(),
    )


def _move(actor: Actor, referral: Referral, *statuses: str, reason: str = "") -> None:
    for status in statuses:
        services.transition_referral(
            actor=actor, referral=referral, to_status=status, reason=reason
        )


def _sent(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-1",
        given_names="Jasur",
        family_name="Tursunov",
        birth_year=1993,
        sex="male",
        nationality="UZ",
        languages=["uz", "ru"],
        preferred_language="uz",
    )
    suspicion = _raise(
        cast.officer,
        person,
        "Stāsta, ka vervētājs Taškentā solīja darbu būvniecībā; Latvijā pase atņemta, alga nav maksāta trīs mēnešus.",
    )
    _consent(cast.officer, suspicion, "both", "ru")
    services.send_referrals(
        actor=cast.officer,
        suspicion=suspicion,
        provider=cast.marta.organisation,
        police=cast.police.organisation,
    )


def _accepted(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-2",
        given_names="Gurpreet",
        family_name="Singh",
        birth_year=1988,
        sex="male",
        nationality="IN",
        languages=["pa", "hi", "en"],
        preferred_language="pa",
    )
    suspicion = _raise(
        cast.officer,
        person,
        "Strādāja noliktavā 14 stundas dienā bez brīvdienām; dzīvoja darba devēja telpās; parāds par ceļu.",
    )
    _consent(cast.officer, suspicion, "provider", "en")
    referral = services.send_referrals(
        actor=cast.officer, suspicion=suspicion, provider=cast.drosa_maja.organisation
    )[0]
    _move(cast.drosa_maja, referral, "accepted")


def _assessing(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-3",
        given_names="Firuz",
        family_name="Nazarov",
        birth_year=1990,
        sex="male",
        nationality="TJ",
        languages=["tg", "ru"],
        preferred_language="tg",
    )
    suspicion = _raise(
        cast.officer,
        person,
        "Kopā ar citiem strādniekiem izmitināts būvlaukumā; saka, ka nevar aiziet, jo “jāatstrādā parāds”.",
    )
    _consent(cast.officer, suspicion, "both", "tg", interpreter="Tulks (demo)")
    provider, police = services.send_referrals(
        actor=cast.officer,
        suspicion=suspicion,
        provider=cast.marta.organisation,
        police=cast.police.organisation,
    )
    _move(cast.marta, provider, "accepted", "assessing")
    _move(cast.police, police, "accepted")
    services.record_police_outcome(
        actor=cast.police,
        referral=police,
        proceedings="opened",
        victim_status="pending",
        proceedings_reference="11816000DEMO3",
        decided_on=timezone.localdate(),
    )


def _recognised(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-4",
        given_names="Thi Lan",
        family_name="Nguyen",
        birth_year=1996,
        sex="female",
        nationality="VN",
        languages=["vi"],
        preferred_language="vi",
    )
    suspicion = _raise(
        cast.monitor,
        person,
        "Novērošanas laikā stāsta, ka strādājusi nagu salonā bez samaksas; dokumenti pie “darba devējas”.",
    )
    _consent(cast.monitor, suspicion, "provider", "vi", interpreter="Tulks (demo)")
    referral = services.send_referrals(
        actor=cast.monitor, suspicion=suspicion, provider=cast.marta.organisation
    )[0]
    _move(cast.marta, referral, "accepted", "assessing")
    services.record_commission_assessment(
        actor=cast.marta_commission,
        referral=referral,
        assessed_on=timezone.localdate(),
        members_present="Sociālā darbiniece, psiholoģe, juriste, policijas pārstāvis (demo)",
        result="criteria_met",
        protocol_reference="MARTA-DEMO-4",
        notes="Demo komisijas piezīmes.",
    )


def _child(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-5",
        given_names="Bikash",
        family_name="Gurung",
        stated_age=16,
        age_disputed=True,
        sex="male",
        nationality="NP",
        languages=["ne", "en"],
        preferred_language="ne",
    )
    suspicion = _raise(
        cast.officer,
        person,
        "Ceļo ar pieaugušo, kurš nav radinieks; saka, ka jāstrādā restorānā, lai atmaksātu ceļu.",
    )
    services.send_referrals(
        actor=cast.officer,
        suspicion=suspicion,
        provider=cast.marta.organisation,
        police=cast.police.organisation,
    )


def _anonymous(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-6",
        given_names="Andrii",
        family_name="Bondarenko",
        birth_year=1985,
        sex="male",
        nationality="UA",
        languages=["uk", "ru"],
        preferred_language="uk",
        interpreter_needed=False,
    )
    suspicion = _raise(
        cast.officer,
        person,
        "Saka, ka darba devējs draudēja ziņot policijai, ja viņš sūdzēsies; algas nav.",
    )
    _consent(cast.officer, suspicion, "", "ru")
    services.send_anonymous_notification(
        actor=cast.officer,
        suspicion=suspicion,
        police=cast.police.organisation,
        provider=cast.drosa_maja.organisation,
        indicator_codes=["DR-01", "DR-02"],
        support_offered_on=timezone.localdate(),
    )


def _police_refused(cast: Cast) -> None:
    person = _person(
        cast,
        "RS/DEMO-THB-7",
        given_names="Ion",
        family_name="Ciobanu",
        birth_year=1979,
        sex="male",
        nationality="MD",
        languages=["ro", "ru"],
        preferred_language="ro",
    )
    suspicion = _raise(
        cast.officer, person, "Lauku darbos bez līguma; darba devējs patur naudu “par dzīvošanu”."
    )
    _consent(cast.officer, suspicion, "both", "ru")
    provider, police = services.send_referrals(
        actor=cast.officer,
        suspicion=suspicion,
        provider=cast.drosa_maja.organisation,
        police=cast.police.organisation,
    )
    _move(cast.police, police, "accepted")
    services.record_police_outcome(
        actor=cast.police,
        referral=police,
        proceedings="declined",
        victim_status="pending",
        decided_on=timezone.localdate(),
    )
    _move(cast.drosa_maja, provider, "accepted")


SCENARIOS: list[tuple[str, Callable[[Cast], None]]] = [
    ("RS/DEMO-THB-1", _sent),
    ("RS/DEMO-THB-2", _accepted),
    ("RS/DEMO-THB-3", _assessing),
    ("RS/DEMO-THB-4", _recognised),
    ("RS/DEMO-THB-5", _child),
    ("RS/DEMO-THB-6", _anonymous),
    ("RS/DEMO-THB-7", _police_refused),
]


@transaction.atomic
def load() -> list[str]:
    """Create the demo suspicions if missing; idempotent."""
    cast = _cast()
    if cast is None:
        return ["referrals: demo users missing; load the accounts demo first"]
    existing = set(
        Person.objects.filter(return_decision_reference__startswith="RS/DEMO-THB-").values_list(
            "return_decision_reference", flat=True
        )
    )
    added = 0
    for reference, scenario in SCENARIOS:
        if reference not in existing:
            scenario(cast)
            added += 1
    total = Suspicion.objects.filter(
        person__return_decision_reference__startswith="RS/DEMO-THB-"
    ).count()
    return [f"referrals: {added} demo suspicions added ({total} in the demo set)"]


def raise_case_demo_suspicion(monitor: Actor, person: Person, reason: str) -> None:
    """The cases demo's persons planned with a suspicion get it (and its hold) through the
    referral flow, so the hold can later be released; registered in ``ReferralsConfig.ready``."""
    services.raise_suspicion(actor=monitor, person=person, reason=reason, source_reference="demo")
