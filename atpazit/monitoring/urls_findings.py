"""URLs of findings, recommendations and reports (issue 12 items 5 and 6), beside the mission
pages of ``urls.py`` under the same /monitoring/ prefix."""

from django.urls import path

from atpazit.monitoring import views_findings, views_reports

app_name = "monitoring_findings"

urlpatterns = [
    path(
        "missions/<int:pk>/findings/",
        views_findings.mission_findings_view,
        name="mission_findings",
    ),
    path("findings/<int:pk>/edit/", views_findings.finding_edit_view, name="finding_edit"),
    path(
        "findings/<int:pk>/withdraw/",
        views_findings.finding_withdraw_view,
        name="finding_withdraw",
    ),
    path(
        "findings/<int:pk>/recommend/",
        views_findings.recommendation_draft_view,
        name="recommendation_draft",
    ),
    path("recommendations/", views_findings.recommendation_list_view, name="recommendation_list"),
    path(
        "recommendations/<int:pk>/",
        views_findings.recommendation_detail_view,
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/send/",
        views_findings.recommendation_send_view,
        name="recommendation_send",
    ),
    path(
        "recommendations/<int:pk>/withdraw/",
        views_findings.recommendation_withdraw_view,
        name="recommendation_withdraw",
    ),
    path(
        "recommendations/<int:pk>/respond/",
        views_findings.recommendation_respond_view,
        name="recommendation_respond",
    ),
    path(
        "recommendations/<int:pk>/follow-up/",
        views_findings.recommendation_follow_up_view,
        name="recommendation_follow_up",
    ),
    path("missions/<int:pk>/report/", views_reports.report_draft_view, name="report_draft"),
    path("reports/<int:pk>/", views_reports.report_detail_view, name="report_detail"),
    path("reports/<int:pk>/pdf/", views_reports.report_pdf_view, name="report_pdf"),
    path(
        "reports/<int:pk>/published/",
        views_reports.report_published_pdf_view,
        name="report_published_pdf",
    ),
    path("reports/<int:pk>/approve/", views_reports.report_approve_view, name="report_approve"),
    path("reports/<int:pk>/return/", views_reports.report_return_view, name="report_return"),
    path("reports/<int:pk>/publish/", views_reports.report_publish_view, name="report_publish"),
    path("annual/", views_reports.annual_table_view, name="annual_table"),
]
