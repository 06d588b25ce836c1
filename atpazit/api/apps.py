"""Django app configuration for api."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API: tokens, the same access policy as the UI, OpenAPI 3.1."""

    name = "atpazit.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from atpazit.api import signals  # noqa: F401  (connects the receivers)
        from atpazit.lib.registry import NavItem, register_demo_loader, register_nav_item

        register_nav_item(NavItem(85, _("API tokens"), "api:token_list", "api.token:manage"))
        # After the accounts demo (its users) and every other loader: printed last.
        register_demo_loader(99, "atpazit.api.demo.load")
