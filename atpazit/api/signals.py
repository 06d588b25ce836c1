"""A token ends with what it acts as: its membership's role and state, its user, its
organisation. Receivers, so that every way of changing them (the administration pages, the
Django admin, a command) ends the tokens; the services of accounts know nothing of the API."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.api.models import ApiToken
from atpazit.api.services import revoke_tokens_ended_by


@receiver(pre_save, sender=Membership)
def note_what_the_membership_was(sender: Any, instance: Membership, **kwargs: Any) -> None:
    before = (
        Membership.objects.filter(pk=instance.pk).values("role", "is_active").first()
        if instance.pk
        else None
    )
    instance._api_tokens_end = before is not None and (  # type: ignore[attr-defined]
        before["role"] != instance.role or before["is_active"] != instance.is_active
    )


@receiver(post_save, sender=Membership)
def end_tokens_of_a_changed_membership(sender: Any, instance: Membership, **kwargs: Any) -> None:
    # Switching a membership back on does not bring its old tokens back: they stay revoked.
    if getattr(instance, "_api_tokens_end", False) or not instance.is_active:
        revoke_tokens_ended_by(
            tokens=ApiToken.objects.filter(membership=instance), reason="membership_changed"
        )


@receiver(post_save, sender=User)
def end_tokens_of_an_inactive_user(sender: Any, instance: User, **kwargs: Any) -> None:
    if not instance.is_active:
        revoke_tokens_ended_by(
            tokens=ApiToken.objects.filter(membership__user=instance), reason="user_inactive"
        )


@receiver(post_save, sender=Organisation)
def end_tokens_of_an_inactive_organisation(
    sender: Any, instance: Organisation, **kwargs: Any
) -> None:
    if not instance.is_active:
        revoke_tokens_ended_by(
            tokens=ApiToken.objects.filter(membership__organisation=instance),
            reason="organisation_inactive",
        )
