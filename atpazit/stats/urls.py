"""URLs of the statistics wing (mounted at /stats/)."""

from django.urls import URLPattern, path

from atpazit.stats import views

app_name = "stats"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard_view, name="dashboard"),
]
