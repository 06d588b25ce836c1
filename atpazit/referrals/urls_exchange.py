"""URLs of the secure exchange, under /referrals/exchange/ (namespace ``referrals_exchange``)."""

from django.urls import path

from atpazit.referrals import views_exchange

app_name = "referrals_exchange"

urlpatterns = [
    path("<int:pk>/", views_exchange.thread_view, name="thread"),
    path("<int:pk>/messages/", views_exchange.message_post_view, name="message_post"),
    path(
        "attachments/<int:pk>/",
        views_exchange.attachment_download_view,
        name="attachment_download",
    ),
]
