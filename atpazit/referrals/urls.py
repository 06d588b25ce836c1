from django.urls import path

from atpazit.referrals import views, views_referrals

app_name = "referrals"

urlpatterns = [
    path("", views_referrals.referral_list_view, name="referral_list"),
    path("<int:pk>/", views_referrals.referral_detail_view, name="referral_detail"),
    path("<int:pk>/respond/", views_referrals.referral_respond_view, name="referral_respond"),
    path("<int:pk>/withdraw/", views_referrals.referral_withdraw_view, name="referral_withdraw"),
    path("<int:pk>/commission/", views_referrals.commission_view, name="commission"),
    path("<int:pk>/police/", views_referrals.police_outcome_view, name="police_outcome"),
    path("suspicions/", views.suspicion_list_view, name="suspicion_list"),
    path("suspicions/new/<int:person_pk>/", views.suspicion_create_view, name="suspicion_create"),
    path("suspicions/<int:pk>/", views.suspicion_detail_view, name="suspicion_detail"),
    path("suspicions/<int:pk>/confirm-hold/", views.hold_confirm_view, name="hold_confirm"),
    path("suspicions/<int:pk>/consent/", views.consent_view, name="consent"),
    path(
        "suspicions/<int:pk>/consent/withdraw/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("suspicions/<int:pk>/send/", views.referral_send_view, name="referral_send"),
    path("suspicions/<int:pk>/anonymous/", views.anonymous_send_view, name="anonymous_send"),
    path("suspicions/<int:pk>/risk/", views.risk_assessment_view, name="risk_assessment"),
    path("suspicions/<int:pk>/release/", views.hold_release_view, name="hold_release"),
    path(
        "suspicions/<int:pk>/release/propose/",
        views.hold_release_propose_view,
        name="hold_release_propose",
    ),
    path("release-proposals/<int:pk>/", views.release_proposal_view, name="release_proposal"),
    path(
        "release-proposals/<int:pk>/approve/",
        views.release_proposal_approve_view,
        name="release_proposal_approve",
    ),
    path(
        "release-proposals/<int:pk>/decline/",
        views.release_proposal_decline_view,
        name="release_proposal_decline",
    ),
    path("suspicions/<int:pk>/close/", views.close_view, name="close"),
    path("anonymous/", views_referrals.anonymous_list_view, name="anonymous_list"),
    path("anonymous/<int:pk>/", views_referrals.anonymous_detail_view, name="anonymous_detail"),
    path("labour-notices/", views_referrals.labour_notice_list_view, name="labour_notice_list"),
    path(
        "labour-notices/<int:pk>/",
        views_referrals.labour_notice_detail_view,
        name="labour_notice_detail",
    ),
    path("children/", views_referrals.child_list_view, name="child_list"),
    path("children/<int:pk>/", views_referrals.child_detail_view, name="child_detail"),
    path(
        "children/<int:pk>/guardian/",
        views_referrals.guardian_record_view,
        name="guardian_record",
    ),
    path(
        "children/<int:pk>/guardian/end/",
        views_referrals.guardian_end_view,
        name="guardian_end",
    ),
]
