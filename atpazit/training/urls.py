from django.urls import path

from atpazit.training import views

app_name = "training"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("modules/<slug:code>/", views.module_view, name="module"),
    path("library/", views.library_view, name="library"),
    path("start/", views.start_view, name="start"),
    path("attempts/<int:pk>/", views.attempt_view, name="attempt"),
    path("attempts/<int:pk>/ask/", views.ask_view, name="ask"),
    path("attempts/<int:pk>/feedback/", views.feedback_view, name="feedback"),
    path("progress/", views.progress_view, name="progress"),
    path("certificate/", views.certificate_issue_view, name="certificate_issue"),
    path("certificate/download/", views.certificate_pdf_view, name="certificate_pdf"),
    path("cohort/", views.cohort_view, name="cohort"),
    path("scenarios/", views.scenario_list_view, name="scenarios"),
    path("scenarios/new/", views.scenario_new_view, name="scenario_new"),
    path("scenarios/<slug:scenario_id>/edit/", views.scenario_edit_view, name="scenario_edit"),
]
