from django.urls import path

from atpazit.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.report_view, name="report"),
    path("legal-holds/new/", views.legal_hold_place_view, name="legal_hold_place"),
    path("legal-holds/<int:pk>/lift/", views.legal_hold_lift_view, name="legal_hold_lift"),
]
