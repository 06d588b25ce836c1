"""In the browser, in Latvian: the national coordinator reads the suppressed statistics and the
official tables of the demo, and a case officer reads the exact figures of the unit; every page
passes axe-core (each chart has its data table)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_statistics_pages_are_accessible_in_latvian(live_server, page: Page) -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url

    sign_in(page, base, "iem.koordinators")
    page.get_by_role("link", name="Statistika").first.click()
    expect(page.locator("h1")).to_have_text("Statistika")
    expect(page.locator("#suppression-note")).to_contain_text("atklāšanas kontroli")
    expect(page.locator("main")).to_contain_text("slēpts")
    assert page.locator("figure svg[role=img]").count() >= 5
    assert page.locator("figure table").count() == page.locator("figure").count()
    assert_accessible(page)

    page.get_by_role(
        "link", name="Oficiālās gada tabulas (Eurostat, GRETA) un to lejupielāde"
    ).click()
    expect(page.locator("h1")).to_contain_text("Oficiālās gada tabulas")
    assert_accessible(page)
    page.goto(base + reverse("stats:official", kwargs={"year": timezone.localdate().year}))
    expect(page.locator("#citizenship")).to_contain_text("valsts ārpus ES pilsoņi")
    assert_accessible(page)
    # The download is a form posted with its CSRF token (never a link a GET could follow).
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")

    sign_in(page, base, "rs.lietvedis")
    page.goto(base + reverse("stats:dashboard"))
    expect(page.locator("#scope-note")).to_be_visible()
    assert page.locator("#persons_screened a").count() > 0  # figures link to the lists
    assert_accessible(page)
