"""URLs of the reflection period and its information sheet, under /referrals/followup/
(namespace ``reflection``). Suspicion pages are addressed by the suspicion's id, as the core
referral pages are."""

from django.urls import path

from atpazit.reflection import views

app_name = "reflection"

urlpatterns = [
    path("reflection/", views.reflection_list_view, name="reflection_list"),
    path("<int:pk>/reflection/", views.reflection_detail_view, name="reflection_detail"),
    path("<int:pk>/reflection/grant/", views.reflection_grant_view, name="reflection_grant"),
    path("<int:pk>/reflection/end/", views.reflection_end_view, name="reflection_end"),
    path(
        "<int:pk>/information-sheet/",
        views.information_sheet_create_view,
        name="information_sheet_create",
    ),
    path(
        "information-sheets/<int:pk>/pdf/",
        views.information_sheet_download_view,
        name="information_sheet_download",
    ),
    path(
        "information-sheets/<int:pk>/receipt/",
        views.information_sheet_receipt_view,
        name="information_sheet_receipt",
    ),
]
