from django.urls import include, path

from atpazit.web import views as web_views

urlpatterns = [
    path("", web_views.root_view, name="root"),
    path("dashboard/", include("atpazit.web.urls")),
    path("accounts/", include("atpazit.accounts.urls")),
    path("audit/", include("atpazit.audit.urls")),
    path("cases/", include("atpazit.cases.urls")),
    path("removals/", include("atpazit.removals.urls")),
    path("monitoring/", include("atpazit.monitoring.urls")),
    path("escalations/", include("atpazit.escalations.urls")),
    path("notifications/", include("atpazit.notifications.urls")),
    path("referrals/exchange/", include("atpazit.exchange.urls")),
    path("referrals/followup/", include("atpazit.reflection.urls")),
    path("referrals/followup/", include("atpazit.aftercare.urls")),
    path("referrals/", include("atpazit.referrals.urls")),
    path("screening/", include("atpazit.screening.urls")),
    # Findings, recommendations and reports of forced-return monitoring (issue 12 items 5, 6).
    path("monitoring/", include("atpazit.monitoring.urls_findings")),
    path("training/", include("atpazit.training.urls")),
    path("stats/", include("atpazit.stats.urls")),
    path("api/", include("atpazit.api.urls")),
    path("retention/", include("atpazit.retention.urls")),
    path("webhooks/", include("atpazit.webhooks.urls")),
]

handler403 = "atpazit.web.views.error_403"
handler404 = "atpazit.web.views.error_404"
handler500 = "atpazit.web.views.error_500"
