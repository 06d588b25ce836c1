from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "atpazit.exchange"
    label = "exchange"

    def ready(self) -> None:
        from atpazit.lib.registry import register_demo_loader

        register_demo_loader(50, "atpazit.exchange.demo.load")

        # The thread panel on the referral page (referrals does not import this app).
        from atpazit.exchange.views import thread_panel_context
        from atpazit.referrals.hooks import register_referral_panel

        register_referral_panel(thread_panel_context)
