"""URLs of the REST API (mounted at /api/)."""

from django.urls import URLPattern

app_name = "api"

urlpatterns: list[URLPattern] = []
