"""A token ends with what it acts as: its membership's role and state, its user, its
organisation (``accounts.signals.access_ended``, sent by every way of changing them); the
services of accounts know nothing of the API."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.signals import access_ended
from atpazit.api.models import ApiToken
from atpazit.api.services import revoke_tokens_ended_by


@receiver(access_ended)
def end_tokens(
    sender: Any,
    reason: str,
    membership: Membership | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    **kwargs: Any,
) -> None:
    # Switching something back on does not bring its old tokens back: they stay revoked.
    if membership is not None:
        tokens = ApiToken.objects.filter(membership=membership)
    elif user is not None:
        tokens = ApiToken.objects.filter(membership__user=user)
    else:
        tokens = ApiToken.objects.filter(membership__organisation=organisation)
    revoke_tokens_ended_by(tokens=tokens, reason=reason)
