"""A monitor on a tablet in portrait (768 px), in Latvian: the demo charter's mission, its
pre-departure check and a stage page; an observation recorded with big targets; axe passes and
no page is wider than the screen. The Border Guard's case officer sees the mission but not the
observation (issue 12 items 3, 4, 8)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, expect

from atpazit.monitoring.models import Mission, Observation
from tests.e2e.conftest import assert_accessible, sign_in_on_a_tablet
from tests.e2e.test_layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)
OBSERVED = "Konvojs neļāva izraidāmajai sievietei runāt bez pavadoņa klātbūtnes."


def test_a_monitor_records_an_observation_on_a_tablet(live_server, browser: Browser):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url
    mission = Mission.objects.get(operation__reference="RP-2026/014")

    page = sign_in_on_a_tablet(browser, base, "tb.monitors")
    page.set_viewport_size({"width": 768, "height": 1024})
    for path in (
        reverse("monitoring:mission_list"),
        reverse("monitoring:mission_detail", args=[mission.pk]),
        reverse("monitoring:pre_departure", args=[mission.pk]),
    ):
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        assert_no_horizontal_scroll(page, f"{path} at 768px")
        assert_accessible(page)

    page.goto(base + reverse("monitoring:stage", args=[mission.pk, "pre_departure"]))
    assert_no_horizontal_scroll(page, "the stage page at 768px")
    assert_accessible(page)
    form = page.locator("form[data-observation-form]")
    form.locator("textarea[name=text]").fill(OBSERVED)
    serious = form.locator("label").filter(has=page.locator("input[value=serious]"))
    box = serious.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # the whole choice is a finger-sized target
    serious.click()
    form.locator("select[name=category]").select_option("escort")
    form.locator("button[type=submit]").click()

    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text(OBSERVED)
    observation = Observation.objects.get(mission=mission, severity="serious")
    assert observation.text == OBSERVED

    case_officer = sign_in_on_a_tablet(browser, base, "rs.lietvedis")
    case_officer.goto(base + reverse("monitoring:mission_detail", args=[mission.pk]))
    expect(case_officer.locator("h1")).to_be_visible()
    expect(case_officer.locator("main")).not_to_contain_text(OBSERVED)
