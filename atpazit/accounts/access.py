"""The access choke point: who is acting, for which organisation, with which permissions.

Views never look at roles. They declare a permission with ``@requires`` and fetch objects through
the access function of the object type (``get_..._for_user``), which answers 404 for anything
outside the user's scope, so the response never reveals whether an object exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.permissions import permissions_for
from atpazit.audit.context import AuditContext, current_context

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class Actor:
    """The acting user in their active organisation; what services and selectors receive."""

    user: User
    membership: Membership | None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def permissions(self) -> frozenset[str]:
        if self.membership is None or not self.membership.organisation.is_active:
            return frozenset()
        return permissions_for(self.membership.role)

    def can(self, permission: str) -> bool:
        return self.user.is_active and permission in self.permissions


def command_line_actor(username: str) -> Actor | None:
    """The actor of a command run as ``username``: the active user in their first active
    membership of an active organisation; None if there is none."""
    user = User.objects.filter(username=username, is_active=True).first()
    membership = (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .first()
        if user
        else None
    )
    if user is None or membership is None:
        return None
    return Actor(user=user, membership=membership)


@contextmanager
def acting_on_the_command_line(actor: Actor) -> Iterator[None]:
    """Audit events written inside are the actor's, marked "(command line)"."""
    token = current_context.set(
        AuditContext(
            actor_id=actor.user.pk,
            actor_label=f"{actor.user.username} (command line)",
            organisation_id=actor.organisation.pk if actor.organisation else None,
            organisation_label=actor.organisation.name if actor.organisation else "",
        )
    )
    try:
        yield
    finally:
        current_context.reset(token)


def actor_for(request: HttpRequest) -> Actor:
    """The actor for a request; set by ActiveOrganisationMiddleware."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied
    return actor


def requires(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Mark a view as needing ``permission`` in the active organisation; deny otherwise.

    The permission is stored on the view so the authorisation-matrix test can read it.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not actor_for(request).can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def requires_login_only(view: ViewFunc) -> ViewFunc:
    """Mark a view any signed-in user may open (profile, language, organisation switch)."""
    view.required_permission = None  # type: ignore[attr-defined]
    return view
