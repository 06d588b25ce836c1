"""URLs of what follows identification (SIVA, rehabilitation, residence permit, return
decision), under /referrals/followup/ (namespace ``aftercare``). Suspicion pages are addressed by
the suspicion's id, as the core referral pages are."""

from django.urls import path

from atpazit.aftercare import views

app_name = "aftercare"

urlpatterns = [
    path("<int:pk>/", views.aftercare_detail_view, name="aftercare_detail"),
    path("<int:pk>/siva/", views.siva_request_view, name="siva_request"),
    path(
        "<int:pk>/rehabilitation/start/",
        views.rehabilitation_start_view,
        name="rehabilitation_start",
    ),
    path(
        "<int:pk>/rehabilitation/end/",
        views.rehabilitation_end_view,
        name="rehabilitation_end",
    ),
    path("<int:pk>/residence-permit/", views.residence_record_view, name="residence_record"),
    path(
        "<int:pk>/return-decision/",
        views.return_decision_record_view,
        name="return_decision_record",
    ),
    path("siva/", views.siva_inbox_view, name="siva_inbox"),
    path("siva/requests/<int:pk>/", views.siva_decision_view, name="siva_decision"),
]
