from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "atpazit.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from atpazit.lib.registry import NavItem, register_nav_item

        register_nav_item(NavItem(0, _("Dashboard"), "web:dashboard", "web.dashboard:view"))
        # Next to "Catalogue releases": the review status of the translations for the person.
        register_nav_item(
            NavItem(52, _("Translations"), "web:translations", "screening.catalogue:review")
        )
