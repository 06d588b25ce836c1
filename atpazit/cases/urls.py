from django.urls import path

from atpazit.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("new/", views.person_create_view, name="person_create"),
    path("<int:pk>/", views.person_detail_view, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("<int:pk>/status/", views.person_status_view, name="person_status"),
    path("<int:pk>/holds/new/", views.hold_create_view, name="hold_create"),
    path(
        "<int:pk>/duplicates/<int:other_pk>/",
        views.identity_decide_view,
        name="identity_decide",
    ),
    path("holds/<int:pk>/confirm/", views.hold_confirm_view, name="hold_confirm"),
    path("age-changes/<int:pk>/confirm/", views.age_change_confirm_view, name="age_change_confirm"),
    path("age-changes/<int:pk>/decline/", views.age_change_decline_view, name="age_change_decline"),
    path("holds/<int:pk>/release/", views.hold_release_view, name="hold_release"),
]
