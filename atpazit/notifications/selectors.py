from __future__ import annotations

from django.db.models import QuerySet

from atpazit.accounts.models import User
from atpazit.notifications.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    """A user's own notifications; nobody reads another person's inbox."""
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
