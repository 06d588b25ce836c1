"""In the browser, in Latvian: a Border Guard case officer registers a webhook endpoint, sees
its signing secret once, and reads the endpoint's page; every page passes axe-core."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from atpazit.webhooks.models import Endpoint
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_webhook_pages_are_accessible_in_latvian(live_server, page: Page) -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url

    sign_in(page, base, "rs.lietvedis")  # a case officer: it tells what the registrant sees
    page.get_by_role("link", name="Tīmekļa āķi (webhooks)").first.click()
    expect(page.locator("h1")).to_have_text("Tīmekļa āķi (webhooks)")
    assert_accessible(page)

    page.get_by_role("link", name="Reģistrēt galapunktu", exact=True).click()
    expect(page.locator("h1")).to_have_text("Reģistrēt tīmekļa āķa galapunktu")
    page.get_by_role("button", name="Reģistrēt", exact=True).click()  # nothing filled in
    expect(page.locator("main")).to_contain_text("Šis lauks ir nepieciešams")
    assert_accessible(page)
    page.get_by_label("Adrese (URL)").fill("http://127.0.0.1:9/atpazit")
    page.get_by_label("sākta izraidīšanas apturēšana").check()
    page.get_by_role("button", name="Reģistrēt", exact=True).click()

    expect(page.locator("h1")).to_have_text("Galapunkts ir reģistrēts")
    endpoint = Endpoint.objects.get()
    expect(page.locator("#new-secret")).to_have_value(endpoint.secret)
    assert_accessible(page)

    page.get_by_role("link", name="Gatavs", exact=True).click()
    expect(page.locator("h1")).to_have_text("Tīmekļa āķa galapunkts")
    assert endpoint.secret not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Apturēt uz laiku", exact=True).click()
    expect(page.locator("main")).to_contain_text("apturēts uz laiku")
    endpoint.refresh_from_db()
    assert endpoint.status == "paused"
