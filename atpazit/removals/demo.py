"""Synthetic removal operations for the demo, over the invented persons of the cases demo.

Three upcoming operations: a charter to Uzbekistan with a blocking conflict (a hold placed on a
person after they were put on the manifest), a confirmed scheduled flight to India, and a land
escort of the Daugavpils unit to Moldova. Keyed by their references, so running ``atpazit demo``
again adds nothing. Everything goes through the services, as an officer's actions would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import Role
from atpazit.cases import services as cases_services
from atpazit.cases.holds import removal_blocks
from atpazit.cases.models import OPEN_STATUSES, Hold, Person
from atpazit.removals import services
from atpazit.removals.conflicts import sync_conflicts_for_person
from atpazit.removals.models import ManifestEntry, RemovalOperation

RIGA = "Valsts robežsardzes Rīgas pārvalde"
DAUGAVPILS = "Valsts robežsardzes Daugavpils pārvalde"
CONFLICT_HOLD_REASON = (
    "Pirms izlidošanas intervijā stāsta, ka darba devējs Latvijā paturējis pasi un algu; "
    "jāpārbauda cilvēku tirdzniecības pazīmes."
)


@dataclass(frozen=True)
class DemoOperation:
    unit: str
    reference: str
    type: str
    days_ahead: int
    hour: int
    route: str
    country: str
    persons: int
    confirm: bool = False
    conflict: bool = False


DEMO_OPERATIONS = [
    DemoOperation(RIGA, "RP-2026/014", "charter", 6, 7, "Rīga – Taškenta", "UZ", 8, conflict=True),
    DemoOperation(
        RIGA,
        "RP-2026/015",
        "scheduled_flight",
        10,
        13,
        "Rīga – Helsinki – Deli",
        "IN",
        3,
        confirm=True,
    ),
    DemoOperation(
        DAUGAVPILS,
        "DP-2026/007",
        "land_escort",
        4,
        9,
        "Daugavpils – Kauņa – Varšava – Kišiņeva",
        "MD",
        2,
    ),
]


@transaction.atomic
def load() -> list[str]:
    """Create the demo operations if missing; idempotent. Needs the accounts and cases demos."""
    units = {o.name: o for o in Organisation.objects.filter(name__in=[RIGA, DAUGAVPILS])}
    officer = User.objects.filter(username="rs.lietvedis").first()
    if len(units) < 2 or officer is None:
        return ["removals: demo organisations or users missing; load the accounts demo first"]
    if not Person.objects.filter(organisation__in=units.values()).exists():
        return ["removals: no demo persons yet; load the cases demo first"]
    created = []
    for plan in DEMO_OPERATIONS:
        unit = units[plan.unit]
        if RemovalOperation.objects.filter(organisation=unit, reference=plan.reference).exists():
            continue
        _create(_case_officer(officer, unit), plan)
        created.append(plan.reference)
    conflicts = RemovalOperation.objects.filter(
        reference__in=[p.reference for p in DEMO_OPERATIONS if p.conflict]
    ).count()
    return [
        f"removals: {len(created)} demo operations added"
        f" ({len(DEMO_OPERATIONS)} in the demo set, {conflicts} with a blocking conflict)"
    ]


def _case_officer(user: User, unit: Organisation) -> Actor:
    # The Riga case officer acts for each unit; the unsaved membership only carries the role.
    membership = Membership.objects.filter(user=user, organisation=unit).first()
    return Actor(
        user=user,
        membership=membership
        or Membership(user=user, organisation=unit, role=Role.BG_CASE_OFFICER),
    )


def _create(actor: Actor, plan: DemoOperation) -> None:
    assert actor.organisation is not None
    day = timezone.localdate() + datetime.timedelta(days=plan.days_ahead)
    departure = timezone.make_aware(datetime.datetime.combine(day, datetime.time(plan.hour, 30)))
    leader = _member(actor.organisation, "rs.inspektors")
    operation = services.create_operation(
        actor=actor,
        details=services.OperationDetails(
            type=plan.type,
            departure_at=departure,
            route=plan.route,
            country_of_return=plan.country,
            reference=plan.reference,
            escort_leader=leader,
            escort_team=[
                user for user in (leader, _member(actor.organisation, "rs.lietvedis")) if user
            ],
        ),
    )
    wanted = plan.persons + (1 if plan.conflict else 0)
    persons = _free_persons(actor.organisation, plan.country, wanted)
    for person in persons:
        services.add_to_manifest(actor=actor, operation=operation, person=person)
    if plan.confirm:
        services.confirm_operation(actor=actor, operation=operation)
    if plan.conflict and persons:
        _hold_after_listing(actor, persons[-1])


def _member(unit: Organisation, username: str) -> User | None:
    return User.objects.filter(
        username=username, memberships__organisation=unit, memberships__is_active=True
    ).first()


def _free_persons(unit: Organisation, nationality: str, count: int) -> list[Person]:
    """Persons of the unit who could go on a manifest: in the procedure, not held, not listed."""
    held = Hold.objects.active().filter(person=OuterRef("pk"))
    listed = ManifestEntry.objects.filter(
        person=OuterRef("pk"),
        operation__status__in=[RemovalOperation.Status.PLANNED, RemovalOperation.Status.CONFIRMED],
    )
    candidates = list(
        Person.objects.filter(organisation=unit, nationality=nationality, status__in=OPEN_STATUSES)
        .exclude(Exists(held))
        .exclude(Exists(listed))
        .order_by("case_number")[: count + 10]
    )
    # Also not blocked through a linked record or a likely held duplicate (the guard's rule).
    blocked = removal_blocks(candidates, lock=False)
    return [person for person in candidates if person.pk not in blocked][:count]


def _hold_after_listing(actor: Actor, person: Person) -> None:
    """The conflict: a hold placed on a person already on the manifest, then escalated."""
    cases_services.place_hold(actor=actor, person=person, reason=CONFLICT_HOLD_REASON)
    sync_conflicts_for_person(person=person, actor=actor)
