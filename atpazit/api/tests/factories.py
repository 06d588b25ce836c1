"""API tokens for tests, made through the service as a user would make them (synthetic data)."""

from __future__ import annotations

import datetime as dt

import factory
from django.test import Client
from django.utils import timezone

from atpazit.accounts.models import User
from atpazit.accounts.tests.factories import MembershipFactory, actor_of
from atpazit.api.models import ApiToken
from atpazit.api.services import create_token


def token_for(user: User, *, scope: str = ApiToken.Scope.READ_WRITE, days: int = 30) -> str:
    """The whole secret of a new token of ``user`` (who must hold ``api.token:manage``)."""
    expires_on = timezone.localdate() + dt.timedelta(days=days)
    made = create_token(
        actor=actor_of(user), name="Test system", scope=scope, expires_on=expires_on
    )
    return made.secret


def raw_token_for(user: User, *, scope: str = ApiToken.Scope.READ_WRITE) -> str:
    """A token of ``user`` made without the permission check: for the roles that may not make
    one, so the matrix can show that the role's permissions, not the token, decide."""
    from atpazit.api import services

    membership = user.memberships.get()
    prefix = services.secrets.token_hex(8)
    secret = f"{services.TOKEN_PREFIX}{prefix}_{services.secrets.token_urlsafe(32)}"
    ApiToken.objects.create(
        membership=membership,
        name="Test system",
        prefix=prefix,
        secret_hash=services._digest(secret),
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    return secret


def api_client(secret: str) -> Client:
    """A client that sends ``Authorization: Bearer <secret>`` with every request."""
    return Client(headers={"Authorization": f"Bearer {secret}"})


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token row (the secret is not known: for pages that list or revoke tokens)."""

    class Meta:
        model = ApiToken

    membership = factory.SubFactory(MembershipFactory)
    name = "Shelter case management"
    prefix = factory.Sequence(lambda n: f"{n:016x}")
    secret_hash = "0" * 64
    scope = ApiToken.Scope.READ
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
