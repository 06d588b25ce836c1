from django.urls import path

from atpazit.escalations import views

app_name = "escalations"

urlpatterns = [
    path("", views.escalation_list_view, name="escalation_list"),
    path("<int:pk>/resolve/", views.escalation_resolve_view, name="escalation_resolve"),
]
