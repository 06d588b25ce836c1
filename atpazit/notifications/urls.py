from django.urls import path

from atpazit.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read/", views.mark_read_view, name="mark_read"),
    path("dev-mailbox/", views.dev_mailbox_view, name="dev_mailbox"),
]
