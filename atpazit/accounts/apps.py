from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "atpazit.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from atpazit.accounts import signals  # noqa: F401 - connects login audit receivers
        from atpazit.lib.registry import NavItem, register_demo_loader, register_nav_item

        register_nav_item(NavItem(80, _("Users"), "accounts:user_list", "accounts.user:manage"))
        register_nav_item(
            NavItem(
                81, _("Organisations"), "accounts:organisation_list", "accounts.organisation:manage"
            )
        )
        register_demo_loader(10, "atpazit.accounts.demo.load")
