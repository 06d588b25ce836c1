from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Menu label (registered in ready below), translated in this app.
NAV_REFLECTION = _("Reflection periods")
TRANSLATED_SHEET = _("Information sheet on the reflection period")


class ReflectionConfig(AppConfig):
    name = "atpazit.reflection"
    label = "reflection"

    def ready(self) -> None:
        from atpazit.lib.registry import PANEL_PROVIDERS, NavItem, register_nav_item
        from atpazit.reflection import services as reflection

        # No hold ends while a reflection period runs (I1); the running periods on the dashboards.
        reflection.register_release_conditions()
        if reflection.reflection_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(reflection.reflection_panel)
        # The refusal release waits for the sheet's receipt; a proposal's fingerprint includes
        # the sheets (both read by referrals, which does not import this app).
        from atpazit.referrals.hooks import register_case_state_part, register_sheet_handed_over
        from atpazit.reflection.sheets import sheet_handed_over, sheets_state

        register_sheet_handed_over(sheet_handed_over)
        # The hold line says "reflection period until ..." while one runs.
        from atpazit.referrals.hooks import register_reflection_until
        from atpazit.reflection.period import reflection_until

        register_reflection_until(reflection_until)
        register_case_state_part("sheets", sheets_state)
        register_nav_item(
            NavItem(65, NAV_REFLECTION, "reflection:reflection_list", "referrals.followup:read")
        )

        from atpazit.lib.person_languages import TranslatedDocument, register_translated_document
        from atpazit.reflection import sheet_translations

        register_translated_document(
            TranslatedDocument(
                "reflection.sheet", TRANSLATED_SHEET, sheet_translations.statuses, position=20
            )
        )
