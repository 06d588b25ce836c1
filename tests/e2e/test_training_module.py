"""A trainee completes one module in Latvian: reads the lesson, interviews the person in each
scenario by choosing questions, ticks what was heard on the screening form, decides, reads the
feedback, and sees the module passed. With axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from atpazit.accounts.demo import load
from atpazit.cases.models import Hold, Person
from atpazit.training.models import Attempt
from tests.e2e.conftest import assert_accessible, sign_in, tick

pytestmark = pytest.mark.django_db(transaction=True)


def ask(page: Page, text: str) -> None:
    page.locator("#ask button", has_text=text).click()


def decide(page: Page, decision: str, reason: str) -> None:
    page.locator(f'input[name="decision"][value="{decision}"]').check()
    page.locator("#id_reason").fill(reason)
    page.locator('button[name="action"][value="decide"]').click()


def test_a_trainee_completes_the_consent_module(live_server, page: Page):
    load()
    sign_in(page, live_server.url, "koledza.kursants")
    page.get_by_role("link", name="Apmācība").first.click()
    expect(page.locator("#training-banner")).to_contain_text("APMĀCĪBA")
    expect(page.locator("h1")).to_have_text(
        "Cilvēktirdzniecības upuru atpazīšana atgriešanas un patvēruma procedūrās"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Piekrišana un anonīms paziņojums").click()
    expect(page.locator("#lesson-heading")).to_have_text("Nodarbība")
    assert_accessible(page)

    # Scenario 1: a debt for the journey. The question about debt opens the one about housing.
    page.locator("main table button").first.click()
    expect(page.locator("h1")).to_contain_text("Parāds par ceļu")
    ask(page, "Vai Jūs darbā kādam bijāt parādā?")
    expect(page.locator("#transcript")).to_contain_text("esmu parādā 3000 eiro")
    # Tick as the interview goes on: asking the next question keeps the ticks.
    tick(page, "coercion_at_destination", "CD-02")
    ask(page, "Cik Jums solīja maksāt?")
    expect(page.locator("#id_ind_CD_02")).to_be_checked()
    ask(page, "Kur Jūs gulējāt")
    expect(page.locator("#ask")).to_contain_text("Laiks jautājumiem ir beidzies")
    assert_accessible(page)
    tick(page, "deceptive_recruitment", "DR-02")
    tick(page, "exploitative_conditions", "EX-04")
    decide(page, "raise_suspicion", "Parāds, ar kuru piespiež strādāt.")
    expect(page.locator("#decision-feedback")).to_contain_text("sakrīt ar parauga atbildi")
    # VD-02 was never asked about: the feedback names the question that would have found it.
    expect(page.locator("#missed")).to_contain_text("VD-02")
    expect(page.locator("#missed")).to_contain_text("Jautājums, kas to būtu atklājis")
    assert_accessible(page)

    # Scenario 2: already referred, and on the manifest.
    page.get_by_role("link", name="Atpakaļ uz moduli").click()
    page.locator("main table button", has_text="Sākt").first.click()
    expect(page.locator("h1")).to_contain_text("Jau nosūtīta")
    ask(page, "Kas noteica, ar ko un cik daudz")
    ask(page, "Vai Jūs varējāt atteikties")
    tick(page, "exploitative_conditions", "EX-11")
    tick(page, "coercion_at_destination", "CD-07")
    decide(page, "raise_suspicion", "Piespiesta sniegt seksuālus pakalpojumus.")
    expect(page.locator("#score")).to_contain_text("100 no 100")
    assert_accessible(page)

    page.get_by_role("link", name="Atpakaļ uz moduli").click()
    expect(page.locator("main")).to_contain_text("Nokārtots.")
    page.get_by_role("link", name="Mani sasniegumi").click()
    expect(page.locator("main table")).to_contain_text("nokārtots")
    assert_accessible(page)

    assert Attempt.objects.filter(module="consent", completed_at__isnull=False).count() == 2
    # Training never creates case data.
    assert Person.objects.count() == 0
    assert Hold.objects.count() == 0


def test_the_training_pages_fit_a_phone(live_server, page: Page):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from atpazit.accounts.tests.factories import actor_of
    from atpazit.training import services
    from tests.e2e.test_layout import assert_no_horizontal_scroll

    load()
    trainee = get_user_model().objects.get(username="koledza.kursants")
    attempt = services.start_attempt(
        actor=actor_of(trainee), scenario_id="interpreter-cousin-intake", module="interpreter"
    )
    sign_in(page, live_server.url, "koledza.kursants")
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (
        reverse("training:home"),
        reverse("training:module", args=["interpreter"]),
        reverse("training:attempt", args=[attempt.pk]),
    ):
        page.goto(live_server.url + url)
        expect(page.locator("#training-banner")).to_be_visible()
        assert_no_horizontal_scroll(page, f"{url} at 390px")
        assert_accessible(page)


def test_enter_on_a_tick_box_saves_the_ticks_and_asks_no_question(live_server, page: Page):
    """Review of issue 13: Enter on an indicator's tick box submitted the form through its first
    button, a question ("ask this question"); it must save the ticks and ask nothing."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from atpazit.accounts.tests.factories import actor_of
    from atpazit.training import services

    load()
    trainee = get_user_model().objects.get(username="koledza.kursants")
    attempt = services.start_attempt(
        actor=actor_of(trainee), scenario_id="labour-debt-consent-refused", module="consent"
    )
    sign_in(page, live_server.url, "koledza.kursants")
    page.goto(live_server.url + reverse("training:attempt", args=[attempt.pk]))
    tick(page, "coercion_at_destination", "CD-02")

    page.locator("#id_ind_CD_02").press("Enter")

    expect(page.locator(".messages")).to_contain_text("atzīmes ir saglabātas")
    expect(page.locator("#transcript")).to_have_count(0)
    expect(page.locator("#id_ind_CD_02")).to_be_checked()
    attempt.refresh_from_db()
    assert attempt.asked == []
    assert attempt.completed_at is None
    assert attempt.form_values.get("ind_CD_02") == "on"
    assert_accessible(page)


def test_a_trainer_writes_the_next_version_in_the_form(live_server, page: Page):
    """The structured authoring form (review of issue 13) is accessible, and Enter in a text box
    saves the version (never "more question rows")."""
    from atpazit.training.models import AuthoredScenario

    load()
    sign_in(page, live_server.url, "koledza.pasniedzejs")
    page.goto(live_server.url + "/training/scenarios/labour-construction-intake/edit/")
    expect(page.locator("#id_title_lv")).to_have_value("Būvlaukums, nevis noliktava")
    assert_accessible(page)

    page.locator("#id_title_en").fill("The warehouse that was a building site")
    page.locator("#id_title_en").press("Enter")

    expect(page.locator(".messages")).to_contain_text("labour-construction-intake")
    stored = AuthoredScenario.objects.get()
    assert stored.version == 2
    assert stored.data["title"]["en"] == "The warehouse that was a building site"
    assert len(stored.data["questions"]) == 4
    assert_accessible(page)
