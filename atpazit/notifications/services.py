"""Notify organisations: an in-app notification per member, and an e-mail with only a link.

Callers are the services of other apps (a referral sent, a hold placed, a deadline overdue).
Notifications are written in the caller's transaction; e-mails are queued for the worker only
after that transaction commits, so a rolled-back change never announces itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atpazit.accounts import permissions
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.audit.services import log_event
from atpazit.notifications.kinds import text_for
from atpazit.notifications.models import Notification, OutgoingEmail


def roles_holding(permission: str) -> tuple[str, ...]:
    """The roles the permission table (``accounts.permissions``) grants ``permission``."""
    return tuple(
        role for role, granted in permissions.ROLE_PERMISSIONS.items() if permission in granted
    )


def notify(
    *,
    organisation: Organisation,
    kind: str,
    link: str,
    case_number: str = "",
    permission: str | None = None,
    roles: Iterable[str] | None = None,
    email: bool = True,
    also: Iterable[User] = (),
) -> list[Notification]:
    """Notify the active members of ``organisation``: only those whose role holds
    ``permission`` if given (whom to tell follows the permission table, so a role granted the
    permission to act on a thing is told about it), or only those in ``roles``. ``also`` names
    people told whatever their role (the escort leader of an operation), if they are active
    members of ``organisation``; nobody is told twice."""
    if permission is not None and roles is not None:
        raise ValueError("notify takes a permission or roles, not both")
    if permission is not None:
        roles = roles_holding(permission)
    members = Membership.objects.filter(
        organisation=organisation, is_active=True, user__is_active=True
    )
    if roles is not None:
        members = members.filter(
            Q(role__in=list(roles)) | Q(user_id__in=[user.pk for user in also])
        )
    recipients = list(User.objects.filter(pk__in=members.values("user_id")).order_by("pk"))
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user, organisation=organisation, kind=kind, link=link, case_number=case_number
        )
        for user in recipients
    )
    log_event(
        "notification.sent", obj=organisation, details={"kind": kind, "recipients": len(recipients)}
    )
    if email:
        addresses: list[tuple[str, str, Notification | None]] = [
            (user.email, user.language, notification)
            for user, notification in zip(recipients, created, strict=True)
            if user.email
        ]
        if organisation.email:
            addresses.append((organisation.email, settings.LANGUAGE_CODE, None))
        _queue_emails(kind=kind, link=link, addresses=addresses)
    return created


def notify_user(*, user: User, organisation: Organisation, kind: str, link: str) -> Notification:
    """An in-app notification for one user (about their own account), without an e-mail."""
    notification = Notification.objects.create(
        recipient=user, organisation=organisation, kind=kind, link=link
    )
    log_event("notification.sent", obj=organisation, details={"kind": kind, "recipients": 1})
    return notification


def _queue_emails(
    *, kind: str, link: str, addresses: list[tuple[str, str, Notification | None]]
) -> None:
    url = settings.ATPAZIT_BASE_URL.rstrip("/") + link
    ids = []
    seen: set[tuple[str, str]] = set()
    for address, language, notification in addresses:
        if (address, language) in seen:
            continue
        seen.add((address, language))
        with translation.override(language):
            subject = _("Atpazīt: something is waiting for you")
            body = _(
                "%(text)s\n\nOpen Atpazīt to see it (sign-in required):\n%(url)s\n\nThis e-mail contains no personal data on purpose. Do not reply to it."
            ) % {"text": text_for(kind), "url": url}
        queued = OutgoingEmail.objects.create(
            to=address, subject=subject, body=body, notification=notification
        )
        ids.append(queued.pk)
    transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(ids: list[int]) -> None:
    from atpazit.notifications.tasks import send_email

    for email_id in ids:
        send_email.enqueue(email_id)


def mark_read(
    *, user: User, organisation: Organisation | None, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark the user's notifications for ``organisation`` read (all, or the given ones)."""
    unread = Notification.objects.filter(
        recipient=user, organisation=organisation, read_at__isnull=True
    )
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
