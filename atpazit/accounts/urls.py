from django.urls import path

from atpazit.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/two-factor/", views.two_factor_view, name="two_factor"),
    path("login/recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("logout/", views.logout_view, name="logout"),
    path("password/link/", views.password_link_view, name="password_link"),
    path("password/set/", views.password_set_view, name="password_set"),
    path("password/change/", views.password_change_view, name="password_change"),
    path("organisation/switch/", views.switch_organisation_view, name="switch_organisation"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/membership/<int:pk>/", views.membership_edit_view, name="membership_edit"),
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    path("organisations/new/", views.organisation_edit_view, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_edit_view, name="organisation_edit"),
]
