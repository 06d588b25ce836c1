from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "atpazit.exchange"
    label = "exchange"

    def ready(self) -> None:
        from atpazit.lib.registry import register_demo_loader

        register_demo_loader(50, "atpazit.exchange.demo.load")
