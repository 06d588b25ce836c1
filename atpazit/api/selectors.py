"""Reads of API tokens: a user sees their own tokens only (the secret is never stored)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from atpazit.accounts.access import Actor
from atpazit.api.models import ApiToken


def tokens_visible_to(actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens for the active organisation; nobody sees another user's."""
    if actor.membership is None or not actor.can("api.token:manage"):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(membership=actor.membership)


def get_token_for_user(actor: Actor, pk: int) -> ApiToken:
    try:
        return tokens_visible_to(actor).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
