"""URLs of the statistics wing (mounted at /stats/)."""

from django.urls import URLPattern

app_name = "stats"

urlpatterns: list[URLPattern] = []
