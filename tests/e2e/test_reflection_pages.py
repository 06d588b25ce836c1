"""In the browser, in Latvian: the officer gives the written information on the reflection period
(PDF download) and records the receipt, the case officer records the period, the provider asks
SIVA, and SIVA decides from its dashboard. Every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from atpazit.accounts.models import User
from atpazit.accounts.tests.factories import TEST_PASSWORD
from atpazit.aftercare.models import ServiceDecision
from atpazit.reflection.models import InformationSheet, ReflectionPeriod
from atpazit.reflection.tests.factories import dilshods_case
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(browser: Browser, context_args: dict[str, Any], base: str, user: User) -> Page:
    page = browser.new_context(**context_args).new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Lietotājvārds").fill(user.username)
    page.get_by_label("Parole").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Turpināt").click()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.get_by_label("Kods").fill(
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    )
    page.get_by_role("button", name="Pārbaudīt").click()
    expect(page.locator("h1")).to_have_text("Darbvirsma")
    return page


def in_latvian(*users: User) -> None:
    for user in users:
        user.language = "lv"
        user.save(update_fields=["language"])


def test_reflection_period_and_siva_pages_work_in_latvian_and_are_accessible(
    live_server,
    browser: Browser,
    browser_context_args: dict[str, Any],
    ilze: User,
    janis: User,
    liga: User,
    maris: User,
    sanita: User,
    dace: User,
):
    people = dict(ilze=ilze, janis=janis, liga=liga, maris=maris, sanita=sanita, dace=dace)
    case = dilshods_case(people)
    in_latvian(case.janis, case.ilze, case.liga, case.sanita)
    case_number = case.suspicion.person.case_number
    detail = reverse("reflection:reflection_detail", kwargs={"pk": case.suspicion.pk})

    # The officer produces the sheet in Russian and Latvian, downloads it, records the receipt.
    page = sign_in(browser, browser_context_args, live_server.url, case.janis)
    page.goto(live_server.url + detail)
    expect(page.locator("h1")).to_contain_text(case_number)
    assert_accessible(page)
    page.get_by_role("link", name="Sagatavot informatīvo lapu").click()
    assert_accessible(page)
    page.get_by_label("Personas valoda").select_option("ru")
    page.get_by_label("Jūsu valoda").select_option("lv")
    page.get_by_role("button", name="Sagatavot lapu").click()
    expect(page.locator(".messages")).to_contain_text("Informatīvā lapa ir gatava")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lejupielādēt").click()
    assert download.value.suggested_filename.endswith(f"{case_number}-ru-lv.pdf")
    page.get_by_role("link", name="Reģistrēt saņemšanu").click()
    assert_accessible(page)
    page.get_by_role("button", name="Reģistrēt saņemšanu").click()
    expect(page.locator("main")).to_contain_text("saņemšana reģistrēta")
    assert InformationSheet.objects.get().handed_over_by == case.janis

    # The case officer records the grant decision: 30 days, no removal.
    page = sign_in(browser, browser_context_args, live_server.url, case.ilze)
    page.goto(live_server.url + detail)
    page.get_by_role("link", name="Reģistrēt lēmumu par perioda piešķiršanu").click()
    assert_accessible(page)
    page.get_by_label("Lēmuma numurs").fill("VP-2026/404")
    page.get_by_role("button", name="Reģistrēt nogaidīšanas periodu").click()
    expect(page.locator(".alert")).to_contain_text("atlikušas 30 dienas")
    assert_accessible(page)
    assert ReflectionPeriod.objects.get().granted_on == timezone.localdate()
    page.get_by_role("link", name="Nogaidīšanas periodi").first.click()
    expect(page.locator("table")).to_contain_text(case_number)
    assert_accessible(page)

    # The provider asks SIVA from the follow-up page.
    page = sign_in(browser, browser_context_args, live_server.url, case.liga)
    page.goto(
        live_server.url + reverse("aftercare:aftercare_detail", kwargs={"pk": case.suspicion.pk})
    )
    assert_accessible(page)
    page.get_by_role("link", name="Lūgt SIVA lēmumu par pakalpojumu").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lūgt SIVA").click()
    expect(page.locator("main")).to_contain_text("gaida SIVA lēmumu")

    # SIVA sees the request on its dashboard and assigns the service.
    page = sign_in(browser, browser_context_args, live_server.url, case.sanita)
    expect(page.locator("main")).to_contain_text("Lēmumi par pakalpojumu, kas gaida Jūs")
    assert_accessible(page)
    page.get_by_role("link", name=case_number).first.click()
    expect(page.locator("main")).not_to_contain_text("Karimov")
    assert_accessible(page)
    page.get_by_label("pakalpojums piešķirts").check()
    page.get_by_label("Lēmuma numurs").fill("SIVA-2026/55")
    page.get_by_role("button", name="Reģistrēt lēmumu").click()
    expect(page.locator("h1")).to_have_text("Lēmumi par pakalpojumu")
    assert_accessible(page)
    assert ServiceDecision.objects.get().decision == "assigned"
