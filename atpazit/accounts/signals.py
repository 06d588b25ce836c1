"""Audit sign-ins, failures and lockouts. Signals only record; they never change state."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from atpazit.audit.context import AuditContext, current_context
from atpazit.audit.middleware import client_ip
from atpazit.audit.services import log_event


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
