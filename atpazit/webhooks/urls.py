from django.urls import path

from atpazit.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list_view, name="endpoint_list"),
    path("new/", views.endpoint_create_view, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_detail_view, name="endpoint_detail"),
    path("<int:pk>/rotate/", views.endpoint_rotate_view, name="endpoint_rotate"),
    path("<int:pk>/pause/", views.endpoint_pause_view, name="endpoint_pause"),
    path("<int:pk>/resume/", views.endpoint_resume_view, name="endpoint_resume"),
    path("<int:pk>/delete/", views.endpoint_delete_view, name="endpoint_delete"),
]
