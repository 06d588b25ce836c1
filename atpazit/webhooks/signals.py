"""An endpoint ends with the member it acts for: their membership's role and state, their
account, their organisation (as API tokens do, api.signals). Receivers, so that every way of
changing them (the administration pages, the Django admin, a command) ends the endpoints."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.webhooks.models import Endpoint
from atpazit.webhooks.services import end_endpoints


@receiver(pre_save, sender=Membership)
def note_what_the_membership_was(sender: Any, instance: Membership, **kwargs: Any) -> None:
    before = (
        Membership.objects.filter(pk=instance.pk).values("role", "is_active").first()
        if instance.pk
        else None
    )
    instance._webhooks_end = before is not None and (  # type: ignore[attr-defined]
        before["role"] != instance.role or before["is_active"] != instance.is_active
    )


@receiver(post_save, sender=Membership)
def end_endpoints_of_a_changed_membership(sender: Any, instance: Membership, **kwargs: Any) -> None:
    # Switching a membership back on does not bring its endpoints back: they stay ended.
    if getattr(instance, "_webhooks_end", False) or not instance.is_active:
        end_endpoints(
            endpoints=Endpoint.objects.filter(
                organisation_id=instance.organisation_id, created_by_id=instance.user_id
            ),
            reason="membership_changed",
        )


@receiver(post_save, sender=User)
def end_endpoints_of_an_inactive_user(sender: Any, instance: User, **kwargs: Any) -> None:
    if not instance.is_active:
        end_endpoints(
            endpoints=Endpoint.objects.filter(created_by=instance), reason="user_inactive"
        )


@receiver(post_save, sender=Organisation)
def end_endpoints_of_an_inactive_organisation(
    sender: Any, instance: Organisation, **kwargs: Any
) -> None:
    if not instance.is_active:
        end_endpoints(
            endpoints=Endpoint.objects.filter(organisation=instance),
            reason="organisation_inactive",
        )
