"""Demo suspicions of trafficking in the states of the journey. Every person here is invented.

Seven invented persons of the Riga unit, each registered and taken through the referral flow by
the services, exactly as the demo users would: referrals just sent, accepted, under assessment,
recognised by a commission, a child on the child-protection path (with a temporary guardian the
orphan's court appointed), an adult who refused (an anonymous notification), and a police
refusal with the provider's track still open. Keyed by their return-decision references, so
running ``atpazit demo`` again adds nothing.
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
    "barintiesa",
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
    court: Actor


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


def _invented(
    given_names: str, family_name: str, sex: str, nationality: str, *languages: str, **data: Any
) -> dict[str, Any]:
    """An invented person's registration: the preferred language first; ``data`` for the rest."""
    return {
        "given_names": given_names,
        "family_name": family_name,
        "sex": sex,
        "nationality": nationality,
        "languages": list(languages),
        "preferred_language": languages[0],
        "birth_year": None,
        "stated_age": None,
        "age_disputed": False,
        "interpreter_needed": True,
        **data,
    }


PERSONS = {
    "RS/DEMO-THB-1": _invented("Jasur", "Tursunov", "male", "UZ", "uz", "ru", birth_year=1993),
    "RS/DEMO-THB-2": _invented(
        "Gurpreet", "Singh", "male", "IN", "pa", "hi", "en", birth_year=1988
    ),
    "RS/DEMO-THB-3": _invented("Firuz", "Nazarov", "male", "TJ", "tg", "ru", birth_year=1990),
    "RS/DEMO-THB-4": _invented("Thi Lan", "Nguyen", "female", "VN", "vi", birth_year=1996),
    "RS/DEMO-THB-5": _invented(
        "Bikash", "Gurung", "male", "NP", "ne", "en", stated_age=16, age_disputed=True
    ),
    "RS/DEMO-THB-6": _invented(
        "Andrii", "Bondarenko", "male", "UA", "uk", "ru", birth_year=1985, interpreter_needed=False
    ),
    "RS/DEMO-THB-7": _invented("Ion", "Ciobanu", "male", "MD", "ro", "ru", birth_year=1979),
}


# What the one who met the person wrote down when raising the suspicion.
REASONS = {
    "RS/DEMO-THB-1": "Stāsta, ka vervētājs Taškentā solīja darbu būvniecībā; Latvijā pase atņemta, alga nav maksāta trīs mēnešus.",
    "RS/DEMO-THB-2": "Strādāja noliktavā 14 stundas dienā bez brīvdienām; dzīvoja darba devēja telpās; parāds par ceļu.",
    "RS/DEMO-THB-3": "Kopā ar citiem strādniekiem izmitināts būvlaukumā; saka, ka nevar aiziet, jo “jāatstrādā parāds”.",
    "RS/DEMO-THB-4": "Novērošanas laikā stāsta, ka strādājusi nagu salonā bez samaksas; dokumenti pie “darba devējas”.",
    "RS/DEMO-THB-5": "Ceļo ar pieaugušo, kurš nav radinieks; saka, ka jāstrādā restorānā, lai atmaksātu ceļu.",
    "RS/DEMO-THB-6": "Saka, ka darba devējs draudēja ziņot policijai, ja viņš sūdzēsies; algas nav.",
    "RS/DEMO-THB-7": "Lauku darbos bez līguma; darba devējs patur naudu “par dzīvošanu”.",
}


def _suspect(cast: Cast, reference: str, actor: Actor) -> Suspicion:
    """Register the invented person of ``reference``; ``actor`` raises the suspicion."""
    today = timezone.localdate()
    values = {
        "aliases": "",
        "date_of_birth": None,
        "detention_centre": "mucenieki",
        "detained_since": today - timedelta(days=6),
        "detention_court_order_on": today - timedelta(days=4),
        "return_decision_type": "forced_removal",
        "return_decision_reference": reference,
        "return_decision_date": today - timedelta(days=12),
        "appeal_status": "none",
    } | PERSONS[reference]
    person = cases_services.register_person(actor=cast.case_officer, data=values)
    return services.raise_suspicion(actor=actor, person=person, reason=REASONS[reference])


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


def _send(
    actor: Actor, suspicion: Suspicion, provider: Actor, police: Actor | None = None
) -> list[Referral]:
    """Send the provider's track (and the police's) to the organisations of these demo users."""
    return services.send_referrals(
        actor=actor,
        suspicion=suspicion,
        provider=provider.organisation,
        police=police.organisation if police else None,
    )


def _move(actor: Actor, referral: Referral, *statuses: str, reason: str = "") -> None:
    for status in statuses:
        services.transition_referral(
            actor=actor, referral=referral, to_status=status, reason=reason
        )


def _police_outcome(cast: Cast, referral: Referral, proceedings: str, reference: str = "") -> None:
    _move(cast.police, referral, "accepted")
    services.record_police_outcome(
        actor=cast.police,
        referral=referral,
        proceedings=proceedings,
        victim_status="pending",
        proceedings_reference=reference,
        decided_on=timezone.localdate(),
    )


def _sent(cast: Cast) -> None:
    suspicion = _suspect(cast, "RS/DEMO-THB-1", cast.officer)
    _consent(cast.officer, suspicion, "both", "ru")
    _send(cast.officer, suspicion, cast.marta, cast.police)


def _accepted(cast: Cast) -> None:
    suspicion = _suspect(cast, "RS/DEMO-THB-2", cast.officer)
    _consent(cast.officer, suspicion, "provider", "en")
    [referral] = _send(cast.officer, suspicion, cast.drosa_maja)
    _move(cast.drosa_maja, referral, "accepted")


def _assessing(cast: Cast) -> None:
    suspicion = _suspect(cast, "RS/DEMO-THB-3", cast.officer)
    _consent(cast.officer, suspicion, "both", "tg", interpreter="Tulks (demo)")
    provider, police = _send(cast.officer, suspicion, cast.marta, cast.police)
    _move(cast.marta, provider, "accepted", "assessing")
    _police_outcome(cast, police, "opened", "11816000DEMO3")


def _recognised(cast: Cast) -> None:
    suspicion = _suspect(cast, "RS/DEMO-THB-4", cast.monitor)
    _consent(cast.monitor, suspicion, "provider", "vi", interpreter="Tulks (demo)")
    [referral] = _send(cast.monitor, suspicion, cast.marta)
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
    suspicion = _suspect(cast, "RS/DEMO-THB-5", cast.officer)
    _send(cast.officer, suspicion, cast.marta, cast.police)
    services.record_guardian_appointment(
        actor=cast.court,
        suspicion=suspicion,
        kind="temporary_guardian",
        name="Inese Kalna (demo)",
        contact="aizbildne@demo.riga.invalid",
        decision_date=timezone.localdate() - timedelta(days=1),
        decision_number="BT/DEMO-2026-5",
        replaces=None,
    )


def _anonymous(cast: Cast) -> None:
    suspicion = _suspect(cast, "RS/DEMO-THB-6", cast.officer)
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
    suspicion = _suspect(cast, "RS/DEMO-THB-7", cast.officer)
    _consent(cast.officer, suspicion, "both", "ru")
    provider, police = _send(cast.officer, suspicion, cast.drosa_maja, cast.police)
    _police_outcome(cast, police, "declined")
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
