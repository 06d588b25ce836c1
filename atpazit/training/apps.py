"""Django app configuration for training."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """The training programme: scenarios, practice with the real screening engine, courses."""

    name = "atpazit.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from atpazit.lib.registry import NavItem, register_nav_item

        register_nav_item(NavItem(70, self.verbose_name, "training:home", "training.practice:take"))

        from atpazit.lib.registry import register_panel
        from atpazit.training.panels import training_panel

        register_panel(training_panel)

        from atpazit.lib.registry import register_demo_loader

        register_demo_loader(90, "atpazit.training.demo.load")
