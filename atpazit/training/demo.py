"""Demo data of the training programme. Everything is invented: the scenarios are the shipped
ones, the trainees below are synthetic, and no case data is touched.

Through the services, as the users would: the demo trainee ``koledza.kursants`` has passed every
module of the course (one scenario answered with a miss) and holds a certificate, and has a free
practice scenario open with one question asked; four synthetic trainees of the college (who
cannot sign in) have practised part of the course with the misses trainees typically make, so
the trainer ``koledza.pasniedzejs`` sees a cohort with scores and the most often missed
indicators. Keyed by the demo trainee's attempts: running it again adds nothing.
"""

from __future__ import annotations

from django.db import transaction

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import Role
from atpazit.screening.models import Decision
from atpazit.screening.services import ObservationInput, ProfileInput
from atpazit.training import selectors, services
from atpazit.training.course import get_course
from atpazit.training.library import Scenario
from atpazit.training.models import Attempt

COLLEGE = "Valsts robežsardzes koledža"
TRAINEE = "koledza.kursants"
FREE_PRACTICE = "smuggling-asylum-reception"
# Synthetic trainees: username, first and last name (invented), how many modules they went
# through, and the indicators they overlook whenever a model answer has them.
COHORT = (
    ("koledza.demo.kursants1", "Anna", "Kalniņa", 7, ("EX-01",)),
    ("koledza.demo.kursants2", "Mārtiņš", "Bērziņš", 4, ("CD-01", "EX-01")),
    ("koledza.demo.kursants3", "Līga", "Ozoliņa", 2, ("DR-01", "CD-03")),
    ("koledza.demo.kursants4", "Edgars", "Liepa", 1, ("CD-01", "RC-03", "EX-01")),
)


def _actor(user: User, organisation: Organisation) -> Actor:
    membership = Membership.objects.get(user=user, organisation=organisation, is_active=True)
    return Actor(user=user, membership=membership)


def _answer(
    actor: Actor,
    scenario: Scenario,
    module: str,
    overlooked: tuple[str, ...],
    *,
    hesitant: bool = True,
) -> Attempt:
    """Practise ``scenario``: ask the opening question and tick the model's indicators except
    the overlooked ones; a ``hesitant`` trainee who missed one re-screens instead of raising a
    suspicion (an adult's case), otherwise the decision is the model's."""
    attempt = services.start_attempt(actor=actor, scenario_id=scenario.id, module=module)
    attempt = services.ask_question(actor=actor, attempt=attempt, question_id=scenario.start[0])
    ticked = [c for c in scenario.model_answer.indicators if c not in overlooked]
    decision = scenario.model_answer.decision.value
    missed = len(ticked) < len(scenario.model_answer.indicators)
    # Missing a sign often means deciding too little: re-screen instead of referring.
    if hesitant and missed and not scenario.is_child and decision == Decision.RAISE_SUSPICION:
        decision = Decision.RESCREEN.value
    return services.complete_attempt(
        actor=actor,
        attempt=attempt,
        observations=[ObservationInput(code) for code in ticked],
        profile=ProfileInput(scenario.form.value),
        decision=decision,
        reason="Demo: decided on the indicators ticked.",
        values={},
        version=attempt.version,
    )


def _synthetic_trainee(
    username: str, first_name: str, last_name: str, college: Organisation
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "language": "lv",
            "email": f"{username}@demo.atpazit.invalid",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, organisation=college, defaults={"role": Role.TRAINEE}
    )
    return user


@transaction.atomic
def load() -> list[str]:
    """Add the demo trainee's course and the cohort's practice if missing; idempotent."""
    college = Organisation.objects.filter(name=COLLEGE).first()
    trainee = User.objects.filter(username=TRAINEE).first()
    if college is None or trainee is None:
        return ["training: the accounts demo is missing; load it first"]
    if Attempt.objects.filter(trainee=trainee).exists():
        return ["training: demo course progress and cohort already present"]
    scenarios = selectors.current_scenarios(college)
    course = get_course()
    actor = _actor(trainee, college)
    for index, module in enumerate(course.modules):
        for number, scenario_id in enumerate(module.scenarios):
            # One slip in the first module: a missed indicator, still a pass.
            overlooked: tuple[str, ...] = ("EX-01",) if index == 0 and number == 0 else ()
            _answer(actor, scenarios[scenario_id], module.code, overlooked, hesitant=False)
    certificate = services.issue_certificate(actor=actor)
    open_attempt = services.start_attempt(actor=actor, scenario_id=FREE_PRACTICE)
    services.ask_question(
        actor=actor, attempt=open_attempt, question_id=scenarios[FREE_PRACTICE].start[0]
    )
    attempts = 0
    for username, first_name, last_name, modules, overlooked in COHORT:
        user = _synthetic_trainee(username, first_name, last_name, college)
        member = _actor(user, college)
        for module in course.modules[:modules]:
            for scenario_id in module.scenarios:
                _answer(member, scenarios[scenario_id], module.code, overlooked)
                attempts += 1
    return [
        f"training: {TRAINEE} passed {len(course.modules)} modules "
        f"(certificate {certificate.number}) and has 1 practice open; "
        f"{len(COHORT)} synthetic trainees with {attempts} attempts in the cohort"
    ]
