"""A monitor carries out the demo charter's mission from pre-departure to hand-over and the
head of monitoring publishes its report (issue 12): times and checklist answers per stage, the
pre-departure check with the trafficking screening of every returnee, an observation at the
hand-over, the mission completed, a finding and a recommendation, the report drafted in Latvian;
the head sends the recommendation, approves and publishes the report, and its PDF reads back.
In Latvian, on a tablet, with axe on the pages the monitor works on."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from atpazit.monitoring.models import (
    ChecklistAnswer,
    Mission,
    MonitoringReport,
    Observation,
    Recommendation,
)
from tests.e2e.conftest import assert_accessible, sign_in_on_a_tablet

pytestmark = pytest.mark.django_db(transaction=True)
HANDED_OVER = "Nodošanas brīdī uzņemošās valsts amatpersonas runāja ar izraidāmajiem pieklājīgi."
FINDING = "Tulks pirmsizlidošanas posmā bija pieejams tikai pa tālruni."
RECOMMENDATION = "Nodrošināt klātienes tulku pirmsizlidošanas pārbaudē."
SUMMARY = "Misija aptvēra posmus no pirmsizlidošanas līdz nodošanai."


def _when(hours_ago: float) -> str:
    moment = timezone.localtime(timezone.now() - dt.timedelta(hours=hours_ago))
    return moment.strftime("%Y-%m-%dT%H:%M")


def _submit(page: Page, action: str) -> None:
    page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()


def _record_stage(page: Page, base: str, mission: Mission, stage: str, start: float) -> None:
    page.goto(base + reverse("monitoring:stage", args=[mission.pk, stage]))
    page.locator("input[name=actual_start]").fill(_when(start))
    page.locator("input[name=actual_end]").fill(_when(start - 0.5))
    _submit(page, "times")
    expect(page.locator(".message-success")).to_be_visible()


def _pdf_text(document: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 - poppler-utils, installed by CI
        input=document,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_a_monitor_carries_out_a_mission_and_the_head_publishes_the_report(
    live_server, browser: Browser
):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url
    mission = Mission.objects.get(operation__reference="RP-2026/014")
    monitor = sign_in_on_a_tablet(browser, base, "tb.monitors")

    # Pre-departure: the check of every returnee, then the stage's times and checklist.
    monitor.goto(base + reverse("monitoring:pre_departure", args=[mission.pk]))
    expect(monitor.locator("h1")).to_be_visible()
    assert_accessible(monitor)
    _record_stage(monitor, base, mission, "pre_departure", start=6)
    monitor.locator("input[type=radio][value=yes]").first.check()
    _submit(monitor, "checklist")
    expect(monitor.locator(".message-success")).to_be_visible()
    assert_accessible(monitor)

    # Boarding and hand-over, with an observation at the hand-over.
    _record_stage(monitor, base, mission, "boarding", start=4)
    _record_stage(monitor, base, mission, "handover", start=2)
    form = monitor.locator("form[data-observation-form]")
    form.locator("textarea[name=text]").fill(HANDED_OVER)
    form.locator("label").filter(has=monitor.locator("input[value=info]")).click()
    form.locator("select[name=category]").select_option("handover")
    form.locator("button[type=submit]").click()
    expect(monitor.locator("main")).to_contain_text(HANDED_OVER)

    # The mission is completed; a finding, a recommendation and the report's draft follow.
    monitor.goto(base + reverse("monitoring:mission_detail", args=[mission.pk]))
    monitor.locator(
        f"form[action='{reverse('monitoring:mission_complete', args=[mission.pk])}'] button"
    ).click()
    expect(monitor.locator(".message-success")).to_be_visible()
    monitor.get_by_role("link", name="Konstatējumi, ieteikumi un ziņojums").click()
    monitor.locator("select[name=stage]").select_option("pre_departure")
    monitor.locator("select[name=category]").select_option("interpretation")
    monitor.locator("textarea[name=text]").fill(FINDING)
    monitor.locator("main form button[type=submit]").last.click()
    expect(monitor.locator("main")).to_contain_text(FINDING)
    assert_accessible(monitor)
    finding = mission.findings.get(code="")  # the one the monitor wrote, not D9's
    monitor.goto(base + reverse("monitoring_findings:recommendation_draft", args=[finding.pk]))
    monitor.locator("textarea[name=text]").fill(RECOMMENDATION)
    monitor.locator("main form button[type=submit]").last.click()
    monitor.goto(base + reverse("monitoring_findings:report_draft", args=[mission.pk]))
    monitor.locator("main select[name=language]").select_option("lv")
    monitor.locator("textarea[name=summary]").fill(SUMMARY)
    monitor.locator("main form button[type=submit]").last.click()
    expect(monitor.locator("main")).to_contain_text(SUMMARY)

    # The head of monitoring sends the recommendation, approves and publishes the report.
    head = sign_in_on_a_tablet(browser, base, "tb.vaditaja")
    recommendation = finding.recommendations.get()
    head.goto(base + reverse("monitoring_findings:recommendation_detail", args=[recommendation.pk]))
    send = reverse("monitoring_findings:recommendation_send", args=[recommendation.pk])
    head.locator(f"form[action='{send}'] button").click()
    report = mission.reports.get()
    for step in ("report_approve", "report_publish"):
        head.goto(base + reverse("monitoring_findings:report_detail", args=[report.pk]))
        action = reverse(f"monitoring_findings:{step}", args=[report.pk])
        head.locator(f"form[action='{action}'] button").click()
        expect(head.locator(".message-success")).to_be_visible()
    assert_accessible(head)
    pdf = head.request.get(base + reverse("monitoring_findings:report_pdf", args=[report.pk]))

    mission.refresh_from_db()
    report.refresh_from_db()
    recommendation.refresh_from_db()
    assert mission.status == Mission.Status.COMPLETED
    assert set(mission.stages.exclude(actual_end=None).values_list("stage", flat=True)) == {
        "pre_departure",
        "boarding",
        "handover",
    }
    assert ChecklistAnswer.objects.filter(stage__mission=mission, automatic=False).exists()
    assert HANDED_OVER in [seen.text for seen in Observation.objects.filter(mission=mission)]
    assert recommendation.status == Recommendation.Status.SENT
    assert recommendation.response_due_at is not None
    assert report.status == MonitoringReport.Status.PUBLISHED
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(_pdf_text(pdf.body()).split())
    assert "RP-2026/014" in text
    assert RECOMMENDATION in text
