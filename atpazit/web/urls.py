from django.urls import path

from atpazit.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("language/", views.set_language_view, name="set_language"),
    path("translations/", views.translations_view, name="translations"),
]
