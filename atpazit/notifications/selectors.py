from __future__ import annotations

from django.db.models import QuerySet

from atpazit.accounts.models import Organisation, User
from atpazit.notifications.models import Notification


def notifications_for(user: User, organisation: Organisation | None) -> QuerySet[Notification]:
    """A user's own notifications for the organisation they act for now: nobody reads another
    person's inbox, and a case number from another of their organisations stays there."""
    if organisation is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, organisation=organisation).prefetch_related(
        "emails"
    )


def unread_count(user: User, organisation: Organisation | None) -> int:
    return notifications_for(user, organisation).filter(read_at__isnull=True).count()
