from django.urls import path

from atpazit.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list_view, name="event_list"),
    path("disclosures/", views.disclosure_list_view, name="disclosure_list"),
]
