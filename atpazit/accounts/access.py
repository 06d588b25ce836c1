"""The access choke point: who is acting, for which organisation, with which permissions.

Views never look at roles. They declare a permission with ``@requires`` and fetch objects through
the access function of the object type (``get_..._for_user``), which answers 404 for anything
outside the user's scope, so the response never reveals whether an object exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.permissions import permissions_for

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
