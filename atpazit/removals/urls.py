from django.urls import path

from atpazit.removals import views

app_name = "removals"

urlpatterns = [
    path("", views.operation_list_view, name="operation_list"),
    path("new/", views.operation_create_view, name="operation_create"),
    path("<int:pk>/", views.operation_detail_view, name="operation_detail"),
    path("<int:pk>/edit/", views.operation_edit_view, name="operation_edit"),
    path("<int:pk>/manifest/add/", views.manifest_add_view, name="manifest_add"),
    path(
        "<int:pk>/manifest/<int:entry_pk>/remove/",
        views.manifest_remove_view,
        name="manifest_remove",
    ),
    path("<int:pk>/manifest/import/", views.manifest_import_view, name="manifest_import"),
    path("<int:pk>/manifest/export/", views.manifest_export_view, name="manifest_export"),
    path("<int:pk>/confirm/", views.operation_confirm_view, name="operation_confirm"),
    path("<int:pk>/complete/", views.operation_complete_view, name="operation_complete"),
    path("<int:pk>/cancel/", views.operation_cancel_view, name="operation_cancel"),
    path("<int:pk>/pre-departure/", views.pre_departure_view, name="pre_departure"),
]
