from django.urls import path

from atpazit.monitoring import views, views_observations

app_name = "monitoring"

urlpatterns = [
    path("", views.mission_list_view, name="mission_list"),
    path("plan/<int:operation_pk>/", views.mission_plan_view, name="mission_plan"),
    path("<int:pk>/", views.mission_detail_view, name="mission_detail"),
    path("<int:pk>/edit/", views.mission_edit_view, name="mission_edit"),
    path("<int:pk>/notice/", views.mission_notice_view, name="mission_notice"),
    path("<int:pk>/notes/", views.mission_notes_view, name="mission_notes"),
    path("<int:pk>/announce/", views.mission_announce_view, name="mission_announce"),
    path("<int:pk>/cancel/", views.mission_cancel_view, name="mission_cancel"),
    path("<int:pk>/complete/", views.mission_complete_view, name="mission_complete"),
    path("<int:pk>/stage/<slug:stage>/", views.stage_view, name="stage"),
    path(
        "<int:pk>/stage/<slug:stage>/sync/",
        views.observation_sync_view,
        name="observation_sync",
    ),
    path("<int:pk>/pre-departure/", views.pre_departure_view, name="pre_departure"),
    path(
        "<int:pk>/manifest/<int:person_pk>/request/",
        views.removal_request_view,
        name="removal_request",
    ),
    path("requests/<int:pk>/", views.removal_request_answer_view, name="removal_request_answer"),
    path(
        "observations/<int:pk>/screening/",
        views.observation_screening_view,
        name="observation_screening",
    ),
    path(
        "observations/<int:pk>/suspicion/",
        views.observation_suspicion_view,
        name="observation_suspicion",
    ),
    path(
        "observations/<int:pk>/edit/",
        views_observations.observation_edit_view,
        name="observation_edit",
    ),
]
