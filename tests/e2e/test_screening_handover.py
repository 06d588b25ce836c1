"""Issue 9 in the browser: at hand-over an escort officer records fear, sees "interview now,
before departure" (R7, no later stage exists), then records someone linked to the recruiter
waiting at the hand-over point and sees the referral advice (R2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from atpazit.accounts.demo import load
from atpazit.accounts.models import Organisation
from atpazit.cases.demo import RIGA
from atpazit.cases.tests.factories import PersonFactory
from atpazit.screening.catalogue import latest_catalogue
from tests.e2e.conftest import assert_accessible, sign_in, tick

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_at_hand_over_sees_interview_then_referral_advice(live_server, page: Page):
    assert latest_catalogue().version >= "2026.2"
    load()
    riga = Organisation.objects.get(name=RIGA)
    person = PersonFactory(organisation=riga, preferred_language="ru", languages=["ru"])
    sign_in(page, live_server.url, "rs.inspektors")

    page.goto(f"{live_server.url}/screening/persons/{person.pk}/new/")
    page.locator("#id_stage").select_option("handover")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Pazīmju pārbaude")
    recommendation = page.locator("#recommendation")

    tick(page, "return_context", "RC-13")
    expect(recommendation).to_contain_text("iztaujāt tūlīt, pirms izbraukšanas")
    expect(page.locator("#interview-before-departure")).to_be_visible()
    expect(page.locator('input[name="decision"][value="rescreen_next_stage"]')).to_have_count(0)
    assert_accessible(page)

    tick(page, "return_context", "RC-09")
    expect(recommendation).to_contain_text("nosūtīt identificēšanai")
    expect(page.locator("#reasons")).to_contain_text("R2")
    expect(page.locator("#pattern")).not_to_contain_text("nepietiek")
    assert_accessible(page)
