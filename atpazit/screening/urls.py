from django.urls import path

from atpazit.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.session_list_view, name="session_list"),
    path("persons/<int:person_pk>/", views.person_sessions_view, name="person_sessions"),
    path("persons/<int:person_pk>/new/", views.session_start_view, name="session_start"),
    path("<int:pk>/", views.session_detail_view, name="session_detail"),
    path("<int:pk>/interview/", views.session_interview_view, name="session_interview"),
    path("<int:pk>/draft/", views.session_draft_view, name="session_draft"),
    path("interview-aid/", views.aid_view, name="aid"),
    path("interview-aid/download/", views.aid_download_view, name="aid_download"),
    path("catalogue/releases/", views.catalogue_diff_view, name="catalogue_diff"),
]
