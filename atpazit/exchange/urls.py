"""URLs of the secure exchange, under /referrals/exchange/ (namespace ``exchange``): a
referral's thread, and the thread about a child (``children/``)."""

from django.urls import path

from atpazit.exchange import views

app_name = "exchange"

urlpatterns = [
    path("<int:pk>/", views.thread_view, name="thread"),
    path("<int:pk>/messages/", views.message_post_view, name="message_post"),
    path("attachments/<int:pk>/", views.attachment_download_view, name="attachment_download"),
    # The thread about a child (pk: the child-path suspicion) and its attachments.
    path("children/<int:pk>/", views.child_thread_view, name="child_thread"),
    path("children/<int:pk>/messages/", views.child_message_post_view, name="child_message_post"),
    path(
        "children/attachments/<int:pk>/",
        views.child_attachment_download_view,
        name="child_attachment_download",
    ),
]
