from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "atpazit.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from atpazit.notifications.panels import register

        register()

        # Accounts tells a user about their own account through us, without importing us.
        from atpazit.accounts.services import USER_NOTIFIERS
        from atpazit.notifications.services import notify_user

        if notify_user not in USER_NOTIFIERS:
            USER_NOTIFIERS.append(notify_user)

        from atpazit.lib.registry import NavItem, register_nav_item

        register_nav_item(
            NavItem(10, _("Notifications"), "notifications:inbox", "web.dashboard:view")
        )
