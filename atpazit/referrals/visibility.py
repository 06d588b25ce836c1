"""Who sees which suspicion and which referral (I6): every scope over these two object types.

A suspicion and its tracks are seen through four doors, each with its own rule, all of them
here so that a change of who may see a case is made — and reviewed — in one file:

- ``suspicions_visible_to``: the suspicion page (the first-contact side: Border Guard, Ombudsman);
- ``child_cases_visible_to``: the orphan's court's child cases;
- ``followup_suspicions_visible_to``: the reflection period and aftercare pages; the apps above
  add their organisation types' parts with ``register_followup_scope`` (aftercare: SIVA sees the
  cases it was asked to decide on), so this app imports none of them;
- ``referrals_visible_to``: the referral page (each track), and
  ``referrals_with_thread_visible_to``: the secure exchange's threads (the two sides only);
- ``child_threads_visible_to``: the thread about a child between the orphan's court named on the
  suspicion and the Border Guard side of the case (``border_guard_side_id``).

Every scope denies when unsure: no organisation, no permission or an organisation type with no
rule sees nothing. Selectors build ``get_*_for_user`` (a 404 outside scope) on these; the side
checks of a single object (``is_sender``, ``is_unit``, ``is_receiver``) are in ``access``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.referrals.models import Referral, Suspicion

Track = Referral.Track

# A provider or the police see the referrals of their own track only.
RECEIVING_TRACKS: dict[str, str] = {
    OrganisationType.SERVICE_PROVIDER: Track.PROVIDER,
    OrganisationType.POLICE: Track.POLICE,
}
# A provider or the police take part in the follow-up once they work on the case.
WORKING_STATUSES = frozenset(
    {Referral.Status.ACCEPTED, Referral.Status.ASSESSING, Referral.Status.RECOGNISED}
)
# Holding any of these lets an organisation see the follow-up of the cases in its scope.
FOLLOWUP_PERMISSIONS = (
    "referrals.followup:read",
    "referrals.information_sheet:generate",
    "referrals.reflection:record",
    "referrals.siva:decide",
)
THREAD_READ = "referrals.message:read"
CHILD_THREAD_READ = "referrals.child_message:read"


# --- suspicions -------------------------------------------------------------------------------


def suspicions_visible_to(actor: Actor) -> QuerySet[Suspicion]:
    """Suspicions the actor may open. Needs ``referrals.suspicion:read``: the Ombudsman's Office
    sees all, a Border Guard unit those about its persons or raised by it; nobody else any."""
    organisation = actor.organisation
    if organisation is None or not actor.can("referrals.suspicion:read"):
        return Suspicion.objects.none()
    if organisation.type == OrganisationType.OMBUDSMAN:
        return Suspicion.objects.all()
    if organisation.type == OrganisationType.BORDER_GUARD:
        return Suspicion.objects.filter(
            Q(person__organisation=organisation) | Q(raised_by_organisation=organisation)
        )
    return Suspicion.objects.none()


def child_cases_visible_to(actor: Actor) -> QuerySet[Suspicion]:
    """Child-path suspicions the actor's orphan's court was given notice of
    (``referrals.child:read``); nothing for anyone else."""
    organisation = actor.organisation
    if organisation is None or not actor.can("referrals.child:read"):
        return Suspicion.objects.none()
    if organisation.type != OrganisationType.ORPHANS_COURT:
        return Suspicion.objects.none()
    return Suspicion.objects.filter(child_path=True, orphans_court=organisation)


# Follow-up scopes the apps above contribute per organisation type. A scope narrows the queryset
# it is given to the organisation's cases; an organisation type with none sees nothing.
FollowupScope = Callable[[QuerySet[Suspicion], Organisation], QuerySet[Suspicion]]
_FOLLOWUP_SCOPES: dict[str, FollowupScope] = {}


def register_followup_scope(organisation_type: str, scope: FollowupScope) -> None:
    if _FOLLOWUP_SCOPES.get(organisation_type, scope) is not scope:
        raise ValueError(f"a follow-up scope for {organisation_type} is already registered")
    _FOLLOWUP_SCOPES[organisation_type] = scope


def followup_suspicions_visible_to(actor: Actor) -> QuerySet[Suspicion]:
    """Suspicions whose reflection period and follow-up the actor may see; denies when unsure.

    The Ombudsman's Office sees all; a Border Guard unit the persons it registered; a provider
    or the police the cases they accepted on their track; SIVA only the persons a provider asked
    it to decide on (registered by aftercare). Anyone else sees nothing.
    """
    organisation = actor.organisation
    if organisation is None or not any(actor.can(p) for p in FOLLOWUP_PERMISSIONS):
        return Suspicion.objects.none()
    queryset = Suspicion.objects.select_related("person", "person__organisation", "hold")
    if organisation.type == OrganisationType.OMBUDSMAN:
        return queryset
    if organisation.type == OrganisationType.BORDER_GUARD:
        return queryset.filter(person__organisation=organisation)
    if organisation.type in (OrganisationType.SERVICE_PROVIDER, OrganisationType.POLICE):
        working = Referral.objects.filter(
            suspicion=OuterRef("pk"), to_organisation=organisation, status__in=WORKING_STATUSES
        )
        return queryset.filter(Exists(working))
    scope = _FOLLOWUP_SCOPES.get(organisation.type)
    return queryset.none() if scope is None else scope(queryset, organisation)


# --- referrals (tracks) and their threads -------------------------------------------------------


def referrals_visible_to(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor may open. Needs ``referrals.referral:read``: a provider or the police
    sees the tracks sent to it; the Border Guard those about its unit's persons; the Ombudsman's
    Office all. Everyone else none."""
    organisation = actor.organisation
    if organisation is None or not actor.can("referrals.referral:read"):
        return Referral.objects.none()
    if organisation.type in RECEIVING_TRACKS:
        return Referral.objects.filter(
            to_organisation=organisation, track=RECEIVING_TRACKS[organisation.type]
        )
    if organisation.type == OrganisationType.OMBUDSMAN:
        return Referral.objects.all()
    if organisation.type == OrganisationType.BORDER_GUARD:
        return Referral.objects.filter(
            Q(suspicion__person__organisation=organisation)
            | Q(suspicion__raised_by_organisation=organisation)
        )
    return Referral.objects.none()


def referrals_with_thread_visible_to(actor: Actor) -> QuerySet[Referral]:
    """Referrals whose thread the actor may read: needs ``referrals.message:read`` and the
    actor's organisation on one side of the referral (the sender or the receiver: the
    ``access.is_sender`` / ``is_receiver`` rules as a query). Everyone else sees none."""
    organisation = actor.organisation
    if organisation is None or not actor.can(THREAD_READ):
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(to_organisation=organisation) | Q(suspicion__raised_by_organisation=organisation)
    )


def border_guard_side_id(suspicion: Suspicion) -> int:
    """The Border Guard unit on a child's thread: the unit that raised the suspicion, or, when
    the Ombudsman's Office raised it, the unit that registered the child (who holds the child)."""
    if suspicion.raised_by_organisation.type == OrganisationType.BORDER_GUARD:
        return suspicion.raised_by_organisation_id
    return suspicion.person.organisation_id


def child_threads_visible_to(actor: Actor) -> QuerySet[Suspicion]:
    """Child-path suspicions whose thread the actor may read: needs
    ``referrals.child_message:read`` and the actor's organisation on one side — the orphan's
    court named on the suspicion now (a court the case moved away from no longer reads it), or
    the Border Guard side (``border_guard_side_id`` as a query). Nobody else, whatever the role."""
    organisation = actor.organisation
    if organisation is None or not actor.can(CHILD_THREAD_READ):
        return Suspicion.objects.none()
    children = Suspicion.objects.filter(child_path=True, orphans_court__isnull=False)
    if organisation.type == OrganisationType.ORPHANS_COURT:
        return children.filter(orphans_court=organisation)
    if organisation.type == OrganisationType.BORDER_GUARD:
        raised_by_other = ~Q(raised_by_organisation__type=OrganisationType.BORDER_GUARD)
        return children.filter(
            Q(raised_by_organisation=organisation)
            | (Q(person__organisation=organisation) & raised_by_other)
        )
    return Suspicion.objects.none()
