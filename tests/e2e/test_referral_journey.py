"""The referral journey across four organisations, in the browser (DESIGN.md §3 steps 3-7).

A Border Guard officer raises a suspicion on a demo person who is on the manifest of a planned
flight, records consent and sends referrals; the provider's caseworker accepts and answers in the
secure exchange with a document; the Border Guard case officer sees the hold block the removal
operation; the provider's commission recognises the person; the caseworker asks SIVA and SIVA
decides. Each user has a browser context of their own; axe runs on every main page.

A second journey opens one page of each role in English or Russian.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from atpazit.accounts.models import Organisation, User
from atpazit.aftercare.models import ServiceRequest
from atpazit.cases.models import Person
from atpazit.cases.rules import is_child
from atpazit.referrals.models import Referral, Suspicion
from atpazit.removals.models import ManifestEntry, RemovalOperation
from tests.e2e.conftest import assert_accessible, sign_in_on_a_tablet

pytestmark = pytest.mark.django_db(transaction=True)

# The demo's confirmed scheduled flight to India (atpazit/removals/demo.py).
FLIGHT = "RP-2026/015"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def submit(page: Page) -> None:
    """Press the form's main button (the first submit button of the form in <main>)."""
    page.locator("main form[method=post] button[type=submit]").first.click()


@dataclass
class Demo:
    person: Person
    operation: RemovalOperation
    marta: Organisation
    police: Organisation
    siva: Organisation


def load_demo() -> Demo:
    """The invented demo data, and an adult on the flight's manifest with no suspicion yet."""
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123 - quiet loader
    operation = RemovalOperation.objects.get(reference=FLIGHT)
    entries = ManifestEntry.objects.filter(operation=operation).select_related("person")
    entry = next(
        (
            e
            for e in entries.order_by("person__case_number")
            if not is_child(e.person, timezone.localdate())
            and not e.person.suspicions.exists()
            and not e.person.holds.active().exists()
        ),
        None,
    )
    assert entry is not None, f"the demo flight {FLIGHT} has nobody left to screen"
    return Demo(
        person=entry.person,
        operation=operation,
        marta=Organisation.objects.get(name="Centrs MARTA"),
        police=Organisation.objects.get(name="Valsts policija"),
        siva=Organisation.objects.get(type="siva"),
    )


def test_a_suspicion_travels_from_the_border_guard_to_a_siva_decision(live_server, browser):
    demo = load_demo()
    person = demo.person
    base = live_server.url
    today = timezone.localdate().isoformat()

    # 1. The Border Guard officer raises a suspicion from the person page: the removal is held.
    officer = sign_in_on_a_tablet(browser, base, "rs.inspektors")
    officer.goto(f"{base}/cases/{person.pk}/")
    expect(officer.locator("h1")).to_contain_text(person.case_number)
    assert_accessible(officer)
    officer.locator(f"a[href='/referrals/suspicions/new/{person.pk}/']").click()
    assert_accessible(officer)
    officer.locator("main textarea[name=reason]").fill(
        "Pirms izlidošanas stāsta, ka darba devējs paturēja pasi un trīs mēnešus nemaksāja algu."
    )
    submit(officer)
    suspicion = Suspicion.objects.get(person=person)
    expect(officer).to_have_url(f"{base}/referrals/suspicions/{suspicion.pk}/")
    expect(officer.locator(".badge-danger").first).to_be_visible()  # the hold is active
    assert_accessible(officer)

    # 2. Consent explained in English (a language the person speaks), then both tracks sent.
    officer.locator(f"a[href='/referrals/suspicions/{suspicion.pk}/consent/']").click()
    officer.locator("main input[name=decision][value=given]").check()
    officer.locator("main select[name=scope]").select_option("both")
    officer.locator("main select[name=language]").select_option("en")
    officer.locator("main input[name=explained_on]").fill(today)
    assert_accessible(officer)
    submit(officer)
    expect(officer).to_have_url(f"{base}/referrals/suspicions/{suspicion.pk}/")
    officer.locator(f"a[href='/referrals/suspicions/{suspicion.pk}/send/']").click()
    officer.locator("main select[name=provider]").select_option(str(demo.marta.pk))
    officer.locator("main select[name=police]").select_option(str(demo.police.pk))
    assert_accessible(officer)
    submit(officer)
    expect(officer).to_have_url(f"{base}/referrals/suspicions/{suspicion.pk}/")
    provider_track = Referral.objects.get(suspicion=suspicion, track="provider")
    assert Referral.objects.filter(suspicion=suspicion, track="police").exists()
    expect(officer.locator(f"a[href='/referrals/{provider_track.pk}/']")).to_be_visible()

    # 3. The provider's caseworker accepts, and answers in the secure exchange with a document
    #    (htmx swaps the thread; the file is checked, stored encrypted and offered as a download).
    caseworker = sign_in_on_a_tablet(browser, base, "marta.socdarb")
    caseworker.goto(f"{base}/referrals/{provider_track.pk}/")
    expect(caseworker.locator("h1")).to_contain_text(person.case_number)
    assert_accessible(caseworker)
    caseworker.locator("form:has(input[name=action][value=accept]) button[type=submit]").click()
    expect(caseworker).to_have_url(f"{base}/referrals/{provider_track.pk}/")
    expect(caseworker.locator("form:has(input[name=action][value=accept])")).to_have_count(0)
    provider_track.refresh_from_db()
    assert provider_track.status == "accepted"
    thread = caseworker.locator(f"#thread-{provider_track.pk}")
    thread.locator("textarea[name=body]").fill(
        "Pieņemts. Intervija Muceniekos rīt plkst. 10:00 ar tulku."
    )
    thread.locator("input[name=attachments]").set_input_files(
        files=[{"name": "uzaicinajums.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    thread.locator("button[type=submit]").click()
    expect(caseworker.locator(f"#thread-{provider_track.pk} [role=status]")).to_be_visible()
    expect(caseworker.locator(f"#thread-{provider_track.pk}")).to_contain_text("uzaicinajums.pdf")
    assert_accessible(caseworker)

    # The officer reads the answer in the same thread and downloads the document (never inline).
    officer.goto(f"{base}/referrals/exchange/{provider_track.pk}/")
    expect(officer.locator("main")).to_contain_text("Intervija Muceniekos rīt plkst. 10:00")
    assert_accessible(officer)
    with officer.expect_download() as download:
        officer.locator("a[href^='/referrals/exchange/attachments/']").first.click()
    assert download.value.suggested_filename == "uzaicinajums.pdf"

    # 4. The Border Guard case officer sees the hold block the removal operation.
    case_officer = sign_in_on_a_tablet(browser, base, "rs.lietvedis")
    case_officer.goto(f"{base}/removals/{demo.operation.pk}/")
    row = case_officer.locator("tr", has_text=person.case_number)
    expect(row.locator(".badge-danger")).to_be_visible()
    expect(case_officer.locator("main .alert").first).to_be_visible()  # the conflict banner
    assert_accessible(case_officer)

    # 5. The provider's commission recognises the person as a victim.
    commission = sign_in_on_a_tablet(browser, base, "marta.komisija")
    commission.goto(f"{base}/referrals/{provider_track.pk}/")
    commission.locator(f"a[href='/referrals/{provider_track.pk}/commission/']").click()
    commission.locator("main input[name=assessed_on]").fill(today)
    commission.locator("main textarea[name=members_present]").fill(
        "Sociālā darbiniece, psiholoģe, juriste, policists"
    )
    commission.locator("main input[name=result][value=criteria_met]").check()
    commission.locator("main input[name=protocol_reference]").fill("MARTA-2026/041")
    assert_accessible(commission)
    submit(commission)
    expect(commission).to_have_url(f"{base}/referrals/{provider_track.pk}/")
    provider_track.refresh_from_db()
    assert provider_track.status == "recognised"
    assert_accessible(commission)

    # 6. The caseworker asks SIVA for a service decision; SIVA assigns the service.
    caseworker.goto(f"{base}/referrals/followup/{suspicion.pk}/")
    assert_accessible(caseworker)
    caseworker.locator(f"a[href='/referrals/followup/{suspicion.pk}/siva/']").click()
    caseworker.locator("main select[name=siva]").select_option(str(demo.siva.pk))
    assert_accessible(caseworker)
    submit(caseworker)
    expect(caseworker).to_have_url(f"{base}/referrals/followup/{suspicion.pk}/")
    request = ServiceRequest.objects.get(suspicion=suspicion)

    siva = sign_in_on_a_tablet(browser, base, "siva.specialists")
    siva.goto(f"{base}/referrals/followup/siva/")
    assert_accessible(siva)
    siva.locator(f"a[href='/referrals/followup/siva/requests/{request.pk}/']").first.click()
    assert_accessible(siva)
    siva.locator("main input[name=decision][value=assigned]").check()
    siva.locator("main input[name=decided_on]").fill(today)
    siva.locator("main input[name=reference]").fill("SIVA-2026/112")
    submit(siva)
    expect(siva).to_have_url(f"{base}/referrals/followup/siva/")
    assert suspicion.service_decisions.get().decision == "assigned"


def as_language(username: str, language: str) -> str:
    User.objects.filter(username=username).update(language=language)
    return username


def test_each_role_works_in_english_or_russian(live_server, browser):
    """One page of each role of the journey, in the user's own language (not Latvian)."""
    load_demo()
    base = live_server.url
    accepted = (
        Referral.objects.filter(
            to_organisation__name="Centrs MARTA", status__in=["accepted", "assessing"]
        )
        .select_related("suspicion__person")
        .first()
    )
    police_track = Referral.objects.filter(track="police").select_related("suspicion").first()
    assert accepted is not None, "the referrals demo is missing"
    assert police_track is not None, "the referrals demo is missing"
    case = accepted.suspicion.person.case_number

    officer = sign_in_on_a_tablet(browser, base, as_language("rs.inspektors", "en"))
    officer.goto(f"{base}/referrals/suspicions/{accepted.suspicion_id}/")
    expect(officer.locator("h1")).to_have_text(f"Suspicion of trafficking: case {case}")
    assert_accessible(officer)

    caseworker = sign_in_on_a_tablet(browser, base, as_language("marta.socdarb", "ru"))
    caseworker.goto(f"{base}/referrals/exchange/{accepted.pk}/")
    expect(caseworker.locator("h1")).to_have_text(f"Защищённый обмен: дело {case}")
    thread = caseworker.locator(f"#thread-{accepted.pk}")
    thread.locator("textarea[name=body]").fill("Встреча с переводчиком завтра в 10:00.")
    thread.locator("button[type=submit]").click()
    expect(thread.locator("[role=status]")).to_have_text(
        "Сообщение отправлено. Другая сторона видит его в Atpazīt; письмо об этом, без "
        "персональных данных, поставлено в очередь на отправку."
    )
    assert_accessible(caseworker)

    # The pre-departure check: the operation page's "Take off" buttons have an English
    # accessible name that does not contain their visible text (axe), a removals issue.
    case_officer = sign_in_on_a_tablet(browser, base, as_language("rs.lietvedis", "en"))
    charter = RemovalOperation.objects.get(reference="RP-2026/014")
    case_officer.goto(f"{base}/removals/{charter.pk}/pre-departure/")
    expect(case_officer.locator("h1")).to_have_text("Pre-departure check: operation RP-2026/014")
    expect(case_officer.locator("main")).to_contain_text("Blocking conflicts")
    assert_accessible(case_officer)

    commission = sign_in_on_a_tablet(browser, base, as_language("marta.komisija", "en"))
    commission.goto(f"{base}/referrals/{accepted.pk}/")
    expect(commission.locator("h1")).to_have_text(f"Referral of {case}: service provider")
    assert_accessible(commission)

    investigator = sign_in_on_a_tablet(browser, base, as_language("vp.izmekletajs", "en"))
    investigator.goto(f"{base}/referrals/{police_track.pk}/")
    expect(investigator.locator("h1")).to_contain_text("State Police")
    assert_accessible(investigator)

    siva = sign_in_on_a_tablet(browser, base, as_language("siva.specialists", "en"))
    siva.goto(f"{base}/referrals/followup/siva/")
    expect(siva.locator("h1")).to_have_text("Service decisions")
    assert_accessible(siva)

    monitor = sign_in_on_a_tablet(browser, base, as_language("tb.monitors", "ru"))
    monitor.goto(f"{base}/referrals/suspicions/")
    expect(monitor.locator("html")).to_have_attribute("lang", "ru")
    assert_accessible(monitor)
