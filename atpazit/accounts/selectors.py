"""Permission-aware reads for accounts: who may see which users and organisations."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.audit.services import log_event


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def active_membership_for(user: User, membership_id: object) -> Membership | None:
    """The membership chosen in the session, else the user's first; None if they have none."""
    memberships = list(memberships_of(user))
    for membership in memberships:
        if membership.pk == membership_id:
            return membership
    return memberships[0] if memberships else None


def organisations_visible_to(actor: Actor) -> QuerySet[Organisation]:
    """System admins see every organisation; everyone else sees none through this selector."""
    if actor.can("accounts.organisation:manage"):
        return Organisation.objects.all()
    return Organisation.objects.none()


def get_organisation_for_user(actor: Actor, pk: int) -> Organisation:
    try:
        return organisations_visible_to(actor).get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def members_visible_to(actor: Actor) -> QuerySet[Membership]:
    """Memberships an administrator may manage: their own organisation's, or all for sysadmins."""
    queryset = Membership.objects.select_related("user", "organisation")
    if actor.can("accounts.organisation:manage"):
        return queryset
    if actor.can("accounts.user:manage") and actor.organisation is not None:
        return queryset.filter(organisation=actor.organisation)
    return queryset.none()


def get_membership_for_user(actor: Actor, pk: int, *, shown: bool = False) -> Membership:
    """The membership ``pk`` if the actor administers it; Http404 otherwise. With ``shown`` the
    user's details are displayed, and the read is audited here as ``user.viewed`` (I7)."""
    try:
        membership = members_visible_to(actor).get(pk=pk)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc
    if shown:
        log_event("user.viewed", obj=membership.user)
    return membership
