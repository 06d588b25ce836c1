"""URLs of the secure exchange, under /referrals/exchange/ (namespace ``exchange``)."""

from django.urls import path

from atpazit.exchange import views

app_name = "exchange"

urlpatterns = [
    path("<int:pk>/", views.thread_view, name="thread"),
    path("<int:pk>/messages/", views.message_post_view, name="message_post"),
    path("attachments/<int:pk>/", views.attachment_download_view, name="attachment_download"),
]
