"""Django app configuration for api."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API: tokens, the same access policy as the UI, OpenAPI 3.1."""

    name = "atpazit.api"
    label = "api"
    verbose_name = _("API")
