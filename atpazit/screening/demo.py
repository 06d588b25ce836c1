"""A few invented screenings for the demo, written through the services as an officer would.

Riga unit officer ``rs.inspektors`` screens six demo detainees at different stages (one raises a
suspicion, one is left in progress for the dashboard) and the monitor ``tb.monitors`` screens one
before departure. Every note and name is invented. Idempotent: once any screening by these demo
users exists, nothing is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.cases.models import Hold, Person
from atpazit.screening import services
from atpazit.screening.catalogue import CatalogueError, latest_catalogue
from atpazit.screening.forms import default_prompt_language
from atpazit.screening.models import Decision, ScreeningSession
from atpazit.screening.services import ObservationInput, ProfileInput, SessionSetup

RIGA = "Valsts robežsardzes Rīgas pārvalde"
OFFICER = "rs.inspektors"
MONITOR = "tb.monitors"


@dataclass(frozen=True)
class Scenario:
    screener: str
    stage: str
    ticks: tuple[tuple[str, str, str], ...]  # (code, source, note)
    decision: str  # "" leaves the screening in progress
    reason: str
    interpreter: str = ""


SCENARIOS = (
    Scenario(
        OFFICER,
        "detention_intake",
        (
            ("DR-01", "said_by_person", "Solīja darbu noliktavā Rīgā; nonāca būvlaukumā Ogrē."),
            ("CD-01", "said_by_person", "Pasi “glabāšanā” paņēma brigadieris pirmajā dienā."),
            ("EX-01", "said_by_person", ""),
        ),
        Decision.RAISE_SUSPICION,
        "Stāsta par maldinošu vervēšanu un atņemtu pasi; pazīmes saskan. Ceļu aizdomas.",
        interpreter="Bahodir Rasulov",
    ),
    Scenario(
        OFFICER,
        "pre_return_interview",
        (
            ("EX-02", "said_by_person", "Saņēma ap 300 eiro mēnesī par 6 darba dienām nedēļā."),
            ("EX-03", "said_by_person", ""),
        ),
        Decision.LABOUR_INSPECTORATE,
        "Darba tiesību pārkāpumi bez piespiešanas pazīmēm; informēju Valsts darba inspekciju.",
    ),
    Scenario(
        OFFICER,
        "pre_departure",
        (("RC-03", "observed", "Tautietis no istabas centās atbildēt viņa vietā."),),
        Decision.INTERVIEW_BEFORE_DEPARTURE,
        "Pirms izbraukšanas jāizjautā atsevišķi ar tulku, bez citiem aizturētajiem telpā, un "
        "jāsazinās ar pakalpojuma sniedzēju.",
    ),
    Scenario(
        OFFICER,
        "detention_intake",
        (),
        Decision.NO_ACTION,
        "Pārrunās pazīmes netika konstatētas; ieradās pie radiniekiem, darbs nav minēts.",
    ),
    Scenario(
        OFFICER,
        "pre_return_interview",
        (
            (
                "CD-01",
                "third_party",
                "Cita aizturētā persona stāsta, ka viņa pase ir pie darba devēja.",
            ),
        ),
        Decision.LABOUR_INSPECTORATE,
        "Ziņa tikai no trešās personas; pati persona to noliedz. Informēju darba inspekciju.",
    ),
    Scenario(
        MONITOR,
        "pre_departure",
        (
            ("RC-07", "said_by_person", "Saka, ka vēl ir parādā starpniekam par vīzu."),
            ("RC-08", "said_by_person", ""),
        ),
        Decision.INTERVIEW_BEFORE_DEPARTURE,
        "Iesaku pirms izraidīšanas atkārtotu pārrunu ar tulku, bez pavadošās amatpersonas klātbūtnes.",
        interpreter="Ainura Tokhtarova",
    ),
    Scenario(
        OFFICER,
        "detention_intake",
        (("DR-07", "said_by_person", ""),),
        "",
        "",
    ),
)


def _actor(username: str) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(user__username=username, is_active=True)
        .first()
    )
    return Actor(user=membership.user, membership=membership) if membership else None


def _candidates(count: int) -> list[Person]:
    """Adults of the Riga demo unit still in the procedure and not held, in case-number order."""
    held = Hold.objects.active().values("person")
    persons = (
        Person.objects.filter(
            organisation__name=RIGA,
            status__in=[Person.Status.REGISTERED, Person.Status.REMOVAL_PLANNED],
            age_disputed=False,
            birth_year__lt=2000,
        )
        .exclude(pk__in=held)
        .order_by("case_number")
    )
    return list(persons[:count])


@transaction.atomic
def load() -> list[str]:
    """Create the demo screenings if missing; idempotent."""
    officer, monitor = _actor(OFFICER), _actor(MONITOR)
    if officer is None or monitor is None:
        return ["screening: demo users missing; load the accounts demo first"]
    if ScreeningSession.objects.filter(screener__username__in=[OFFICER, MONITOR]).exists():
        return ["screening: demo screenings already loaded"]
    try:
        known = set(ind.code for ind in latest_catalogue())
    except CatalogueError as exc:
        return [f"screening: no demo screenings, the catalogue cannot be loaded ({exc})"]
    persons = _candidates(len(SCENARIOS))
    if len(persons) < len(SCENARIOS):
        return ["screening: demo persons missing; load the cases demo first"]
    actors = {OFFICER: officer, MONITOR: monitor}
    for scenario, person in zip(SCENARIOS, persons, strict=True):
        _screen(actors[scenario.screener], person, scenario, known)
    return [f"screening: {len(SCENARIOS)} demo screenings added (one still in progress)"]


def _screen(actor: Actor, person: Person, scenario: Scenario, known: set[str]) -> None:
    setup = SessionSetup(
        stage=scenario.stage,
        interview_language=person.preferred_language or "ru",
        prompt_language=default_prompt_language(person),
        officer_language="lv",
        interpreter_used=bool(scenario.interpreter),
        interpreter_name=scenario.interpreter,
    )
    session = services.start_session(actor=actor, person=person, setup=setup)
    ticks = [
        ObservationInput(code, source, note)
        for code, source, note in scenario.ticks
        if code in known
    ]
    if ticks:
        session = services.set_observations(
            actor=actor,
            session=session,
            observations=ticks,
            profile=ProfileInput(exploitation_form="labour"),
            version=session.version,
        )
    if scenario.decision:
        services.record_decision(
            actor=actor,
            session=session,
            decision=scenario.decision,
            reason=scenario.reason,
            version=session.version,
        )
