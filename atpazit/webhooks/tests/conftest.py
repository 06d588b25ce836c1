from atpazit.webhooks.tests.factories import receiver

__all__ = ["receiver"]
