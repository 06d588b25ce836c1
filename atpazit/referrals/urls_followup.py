"""URLs of the reflection period and of what follows identification, under /referrals/followup/.

Suspicion pages are addressed by the suspicion's id, as the core referral pages are.
"""

from django.urls import path

from atpazit.referrals import views_aftercare, views_reflection

app_name = "followup"

urlpatterns = [
    path("reflection/", views_reflection.reflection_list_view, name="reflection_list"),
    path("<int:pk>/reflection/", views_reflection.reflection_detail_view, name="reflection_detail"),
    path(
        "<int:pk>/reflection/grant/",
        views_reflection.reflection_grant_view,
        name="reflection_grant",
    ),
    path("<int:pk>/reflection/end/", views_reflection.reflection_end_view, name="reflection_end"),
    path(
        "<int:pk>/information-sheet/",
        views_reflection.information_sheet_create_view,
        name="information_sheet_create",
    ),
    path(
        "information-sheets/<int:pk>/pdf/",
        views_reflection.information_sheet_download_view,
        name="information_sheet_download",
    ),
    path(
        "information-sheets/<int:pk>/receipt/",
        views_reflection.information_sheet_receipt_view,
        name="information_sheet_receipt",
    ),
    path("<int:pk>/", views_aftercare.aftercare_detail_view, name="aftercare_detail"),
    path("<int:pk>/siva/", views_aftercare.siva_request_view, name="siva_request"),
    path(
        "<int:pk>/rehabilitation/start/",
        views_aftercare.rehabilitation_start_view,
        name="rehabilitation_start",
    ),
    path(
        "<int:pk>/rehabilitation/end/",
        views_aftercare.rehabilitation_end_view,
        name="rehabilitation_end",
    ),
    path(
        "<int:pk>/residence-permit/", views_aftercare.residence_record_view, name="residence_record"
    ),
    path(
        "<int:pk>/return-decision/",
        views_aftercare.return_decision_record_view,
        name="return_decision_record",
    ),
    path("siva/", views_aftercare.siva_inbox_view, name="siva_inbox"),
    path("siva/requests/<int:pk>/", views_aftercare.siva_decision_view, name="siva_decision"),
]
