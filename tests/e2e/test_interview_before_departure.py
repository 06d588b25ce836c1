"""At pre-departure an officer records fear of return (one medium indicator) for a person on a
planned charter; the engine advises R7 and the officer decides on a closer interview before
departure; the unit's case officer then
sees the person to defer on the dashboard, the operation page and the pre-departure check — as
advice, without a block. In Latvian, with axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from atpazit.accounts.demo import load
from atpazit.accounts.models import Organisation
from atpazit.cases.demo import RIGA
from atpazit.cases.models import Hold
from atpazit.cases.tests.factories import PersonFactory
from atpazit.notifications.models import Notification
from atpazit.removals.tests.factories import ManifestEntryFactory, PlannedOperationFactory
from atpazit.screening.models import ScreeningSession
from tests.e2e.conftest import assert_accessible, sign_in, tick

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_case_officer_sees_whom_to_defer_until_interviewed(live_server, page: Page):
    load()
    riga = Organisation.objects.get(name=RIGA)
    person = PersonFactory(organisation=riga, given_names="Sardor", family_name="Alimov")
    operation = PlannedOperationFactory(organisation=riga, reference="RP-2026/R7")
    ManifestEntryFactory(operation=operation, person=person)

    # The escort officer screens the person at pre-departure.
    sign_in(page, live_server.url, "rs.inspektors")
    page.goto(f"{live_server.url}/cases/{person.pk}/")
    page.locator("#person-screenings a.button").click()
    page.locator("#id_stage").select_option("pre_departure")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Pazīmju pārbaude")

    tick(page, "return_context", "RC-08")
    # One medium sign at a last stage: there is no later stage, so the advice is R7.
    expect(page.locator("#recommendation")).to_contain_text("iztaujāt tūlīt, pirms izbraukšanas")
    expect(page.locator("#reasons")).to_contain_text("R7")
    page.locator("#id_note_RC_08").fill("Baidās no brigadiera, kas zina viņa ģimenes adresi.")
    page.locator('input[name="decision"][value="interview_before_departure"]').check()
    page.locator("#id_reason").fill("Bailes atgriezties; pirms izlidošanas jāiztaujā ar tulku.")
    page.locator('button[name="action"][value="decide"]').click()
    expect(page.locator("#decision")).to_contain_text("pirms izbraukšanas")
    assert_accessible(page)

    # The case officer of the unit: notified, and the item is on every page that matters.
    sign_in(page, live_server.url, "rs.lietvedis")
    panel = page.locator("section, div").filter(
        has_text="Pārruna pirms izbraukšanas: personas, kuru izraidīšanu atlikt"
    )
    expect(panel.last).to_contain_text(person.case_number)
    assert_accessible(page)

    page.get_by_role("link", name="RP-2026/R7").first.click()
    banner = page.locator("#interview-before-departure")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(person.case_number)
    expect(page.locator("main table")).to_contain_text("pārruna pirms izbraukšanas")
    assert_accessible(page)

    page.get_by_role("link", name="Pārbaude pirms izbraukšanas").click()
    expect(page.locator("#interview-before-departure")).to_contain_text(person.case_number)
    assert_accessible(page)

    session = ScreeningSession.objects.get(person=person)
    assert session.recommendation == "interview_before_departure"
    assert session.decision == "interview_before_departure"
    assert Notification.objects.filter(
        kind="removal.interview_before_departure", recipient__username="rs.lietvedis"
    ).exists()
    # Advice, never a hold (I2).
    assert not Hold.objects.filter(person=person).exists()
