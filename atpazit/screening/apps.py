"""Django app configuration for screening."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """The screening app: indicator catalogue, engine and its management command."""

    name = "atpazit.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from atpazit.lib.registry import PANEL_PROVIDERS
        from atpazit.screening.panels import screening_panel

        if screening_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(screening_panel)

        from atpazit.lib.registry import NavItem, register_demo_loader, register_nav_item

        register_nav_item(
            NavItem(50, self.verbose_name, "screening:session_list", "screening.session:read")
        )
        register_nav_item(
            NavItem(
                51,
                NAV_CATALOGUE_RELEASES,
                "screening:catalogue_diff",
                "screening.catalogue:review",
            )
        )
        register_demo_loader(70, "atpazit.screening.demo.load")

        from atpazit.lib.person_languages import TranslatedDocument, register_translated_document
        from atpazit.screening import translations

        register_translated_document(
            TranslatedDocument(
                "screening.prompts", TRANSLATED_PROMPTS, translations.statuses, position=10
            )
        )

        # A child is never removed unscreened (ADR 0014): the one removal guard asks this for a
        # confirmed removal; cases never imports screening.
        from atpazit.cases.holds import register_removal_precondition
        from atpazit.screening.children import child_screening_obstacles

        register_removal_precondition(child_screening_obstacles, confirmed_only=True)


# Menu labels of screening pages, kept here so they are translated in this app's catalogue.
NAV_CATALOGUE_RELEASES = _("Catalogue releases")
TRANSLATED_PROMPTS = _("Interview prompts of the newest catalogue release")
