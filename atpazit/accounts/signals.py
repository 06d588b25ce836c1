"""Audit sign-ins, failures and lockouts (these receivers only record; they never change
state), and tell other apps when what a member acts as has ended (``access_ended``)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.audit.context import AuditContext, current_context
from atpazit.audit.middleware import client_ip
from atpazit.audit.services import log_event

# What a member acts as has ended: sent once per save, by every way of changing it (the
# administration pages, the Django admin, a command), so that what acts for them (API tokens,
# webhook endpoints) ends with it. Exactly one of the keyword arguments ``membership`` (its
# role or state changed, or it is off), ``user`` (switched off) or ``organisation`` (switched
# off) is given, with ``reason``. Switching something back on sends nothing.
access_ended = Signal()


def _anonymous_context(request: HttpRequest | None, username: str) -> AuditContext:
    return AuditContext(
        actor_label=username[:150], ip_address=client_ip(request) if request else None
    )


@receiver(user_login_failed)
def audit_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    token = current_context.set(_anonymous_context(request, str(credentials.get("username", ""))))
    try:
        log_event("auth.login_failed", outcome="failure")
    finally:
        current_context.reset(token)


@receiver(user_locked_out)
def audit_lockout(
    sender: Any, request: HttpRequest | None = None, username: str = "", **kw: Any
) -> None:
    token = current_context.set(_anonymous_context(request, username or ""))
    try:
        log_event("auth.locked_out", outcome="denied")
    finally:
        current_context.reset(token)


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    token = current_context.set(
        AuditContext(
            actor_id=user.pk, actor_label=user.get_username(), ip_address=client_ip(request)
        )
    )
    try:
        log_event("auth.password_accepted", obj=user)
    finally:
        current_context.reset(token)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    if user is not None:
        log_event("auth.logged_out", obj=user)


@receiver(pre_save, sender=Membership)
def note_what_the_membership_was(sender: Any, instance: Membership, **kwargs: Any) -> None:
    before = (
        Membership.objects.filter(pk=instance.pk).values("role", "is_active").first()
        if instance.pk
        else None
    )
    instance._access_changed = before is not None and (  # type: ignore[attr-defined]
        before["role"] != instance.role or before["is_active"] != instance.is_active
    )


@receiver(post_save, sender=Membership)
def end_access_of_a_changed_membership(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if getattr(instance, "_access_changed", False) or not instance.is_active:
        access_ended.send(sender=Membership, membership=instance, reason="membership_changed")


@receiver(post_save, sender=User)
def end_access_of_an_inactive_user(sender: Any, instance: User, **kwargs: Any) -> None:
    if not instance.is_active:
        access_ended.send(sender=User, user=instance, reason="user_inactive")


@receiver(post_save, sender=Organisation)
def end_access_of_an_inactive_organisation(
    sender: Any, instance: Organisation, **kwargs: Any
) -> None:
    if not instance.is_active:
        access_ended.send(
            sender=Organisation, organisation=instance, reason="organisation_inactive"
        )
