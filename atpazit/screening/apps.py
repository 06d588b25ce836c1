"""Django app configuration for screening."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """The screening app: indicator catalogue, engine and its management command."""

    name = "atpazit.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from atpazit.screening.panels import screening_panel
        from atpazit.web.dashboards import PANEL_PROVIDERS

        if screening_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(screening_panel)


# Menu labels of screening pages, kept here so they are translated in this app's catalogue.
NAV_CATALOGUE_RELEASES = _("Catalogue releases")
