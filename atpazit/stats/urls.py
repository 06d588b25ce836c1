"""URLs of the statistics wing (mounted at /stats/)."""

from django.urls import URLPattern, path

from atpazit.stats import views, views_exports, views_official

app_name = "stats"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard_view, name="dashboard"),
    path("official/", views_official.official_index_view, name="official_index"),
    path("official/<int:year>/", views_official.official_view, name="official"),
]

# --- The de-identified case-level export (HTCDS-aligned JSON; stats/htcds.py) -------------------
urlpatterns += [
    path("htcds/", views_exports.htcds_export, name="htcds_export"),
]
