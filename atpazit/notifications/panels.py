from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.lib.registry import PANEL_PROVIDERS, Panel
from atpazit.notifications.selectors import notifications_for


def unread_panel(actor: Actor) -> Panel | None:
    unread = list(
        notifications_for(actor.user, actor.organisation).filter(read_at__isnull=True)[:10]
    )
    if not unread:
        return None
    return Panel(
        _("New notifications"),
        "notifications/panel.html",
        {"notifications": unread},
        count=len(unread),
    )


def register() -> None:
    if unread_panel not in PANEL_PROVIDERS:
        PANEL_PROVIDERS.insert(0, unread_panel)
