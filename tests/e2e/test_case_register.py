"""A Border Guard case officer registers a person, finds them by name with and without
diacritics, and holds their removal; the list and the person page pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atpazit.accounts.demo import load
from atpazit.cases.models import Hold, Person
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def search(page: Page, query: str) -> None:
    page.get_by_role("searchbox", name="Meklēt").fill(query)
    page.get_by_role("button", name="Meklēt", exact=True).click()


def test_a_case_officer_registers_finds_and_holds_a_person(live_server, page: Page):
    load()
    sign_in(page, live_server.url, "rs.lietvedis")

    page.locator(".main-nav").get_by_role("link", name="Atgriešanas lietas").click()
    expect(page.locator("h1")).to_have_text("Atgriešanas lietas")
    assert_accessible(page)

    page.get_by_role("link", name="Reģistrēt personu").click()
    page.get_by_label("Vārdi", exact=True).fill("Anna")
    page.get_by_label("Uzvārds").fill("Bērziņa")
    page.get_by_label("Citi lietotie vārdi").fill("Анна Берзиня")
    page.get_by_label("Pilsonība").select_option("UA")
    page.get_by_label("Apšaubīts vecums").check()
    page.get_by_role("button", name="Reģistrēt").click()

    expect(page.locator("h1")).to_have_text(re.compile(r"^Lieta AT-\d{4}-\d{6}$"))
    expect(page.locator("main")).to_contain_text("Bērziņa")
    expect(page.locator(".banner-child")).to_contain_text("Apšaubīts vecums")
    case_number = Person.objects.get().case_number
    assert_accessible(page)

    page.locator(".main-nav").get_by_role("link", name="Atgriešanas lietas").click()
    for query in ("berzina", "Bērziņa", "анна берзиня"):
        search(page, query)
        expect(page.locator("#person-results table")).to_contain_text(case_number)
    expect(page.locator("#person-results")).not_to_contain_text("Bērziņa")  # names stay off lists
    search(page, "Petrova")
    expect(page.locator("#person-results")).to_contain_text("Neviena lieta neatbilst.")

    search(page, "berzina")
    page.get_by_role("link", name=case_number).click()
    page.get_by_role("link", name="Apturēt izraidīšanu").click()
    page.get_by_label("Kāpēc izraidīšana jāaptur?").fill(
        "Saka, ka darba devējs paturējis pasi; baidās atgriezties."
    )
    page.get_by_role("button", name="Apturēt izraidīšanu").click()

    expect(page.locator(".alert").first).to_contain_text("Izraidīšana apturēta")
    holds = page.get_by_role("table", name="Izraidīšanas apturēšanas, jaunākās vispirms")
    expect(holds).to_contain_text("spēkā")
    assert Hold.objects.get().is_active
    assert_accessible(page)

    page.locator(".main-nav").get_by_role("link", name="Atgriešanas lietas").click()
    page.get_by_label("Izraidīšanas apturēšana").select_option("yes")
    page.get_by_role("button", name="Meklēt", exact=True).click()
    expect(page.locator("#person-results table")).to_contain_text("izraidīšana apturēta")
    assert_accessible(page)
