"""An officer screens an Arabic-speaking detainee: the prompts are offered in Arabic by default,
shown right to left next to the Latvian, marked as a draft translation (issue 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from atpazit.accounts.demo import load
from atpazit.accounts.models import Organisation
from atpazit.cases.demo import RIGA
from atpazit.cases.tests.factories import PersonFactory
from atpazit.screening.catalogue import latest_catalogue
from atpazit.screening.translations import prompts_in
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_screens_with_arabic_prompts_right_to_left(live_server, page: Page):
    load()
    person = PersonFactory(
        organisation=Organisation.objects.get(name=RIGA),
        preferred_language="ar",
        languages=["ar"],
        interpreter_needed=True,
    )
    sign_in(page, live_server.url, "rs.inspektors")

    page.goto(live_server.url + reverse("screening:session_start", args=[person.pk]))
    expect(page.locator("#id_prompt_language")).to_have_value("ar")
    page.locator("#id_stage").select_option("detention_intake")
    page.locator("main form button[type=submit]").first.click()

    catalogue = latest_catalogue()
    group = page.locator('details[data-dimension="deceptive_recruitment"]')
    group.locator("summary").first.click()
    row = page.locator("#indicator-DR_01 tbody tr").first
    arabic = row.locator('td[lang="ar"]')
    expect(arabic).to_have_text(prompts_in(catalogue, catalogue.indicator("DR-01"), "ar")[0])
    assert arabic.evaluate("cell => getComputedStyle(cell).direction") == "rtl"
    latvian = row.locator('td[lang="lv"]')
    assert latvian.evaluate("cell => getComputedStyle(cell).direction") == "ltr"
    expect(page.locator("main")).to_contain_text("tulkojuma melnraksts")
    assert_accessible(page)
