"""How a notification's time is shown: to the minute, except for a de-identified notice."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.timezone import localtime

from atpazit.lib.weeks import week_of
from atpazit.notifications.kinds import DEIDENTIFIED_KINDS
from atpazit.notifications.models import Notification

register = template.Library()


@register.filter
def notification_when(notification: Notification) -> str:
    """The notice of an anonymous notification or a labour exploitation notice shows only
    its week: the minute it arrived would match the sender's record of one detainee."""
    if notification.kind in DEIDENTIFIED_KINDS:
        return week_of(notification.created_at)
    return date_format(localtime(notification.created_at), "SHORT_DATETIME_FORMAT")
