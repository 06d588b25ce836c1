"""An endpoint ends with the member it acts for: their membership's role and state, their
account, their organisation (as API tokens do), on ``accounts.signals.access_ended``, sent by
every way of changing them."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.signals import access_ended
from atpazit.webhooks.models import Endpoint
from atpazit.webhooks.services import end_endpoints


@receiver(access_ended)
def end_endpoints_acting_for(
    sender: Any,
    reason: str,
    membership: Membership | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    **kwargs: Any,
) -> None:
    # Switching something back on does not bring its endpoints back: they stay ended.
    if membership is not None:
        endpoints = Endpoint.objects.filter(
            organisation_id=membership.organisation_id, created_by_id=membership.user_id
        )
    elif user is not None:
        endpoints = Endpoint.objects.filter(created_by=user)
    else:
        endpoints = Endpoint.objects.filter(organisation=organisation)
    end_endpoints(endpoints=endpoints, reason=reason)
