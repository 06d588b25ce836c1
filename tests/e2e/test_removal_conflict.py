"""A Border Guard case officer plans an operation, imports its manifest, meets a blocking
conflict when a hold is placed on someone on it, cannot confirm the operation until the conflict
is resolved, takes the person off and then confirms. In Latvian, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from atpazit.accounts.access import Actor
from atpazit.accounts.demo import load
from atpazit.accounts.models import Membership, Organisation
from atpazit.cases import services as cases_services
from atpazit.cases.demo import RIGA
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.escalations.models import Escalation
from atpazit.removals.conflicts import sync_conflicts_for_person
from atpazit.removals.models import RemovalOperation
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def manifest_csv(*case_numbers: str) -> dict[str, object]:
    rows = "".join(f"{number};Karimovs\r\n" for number in case_numbers)
    data = ("\ufeffcase_number;family_name\r\n" + rows).encode("utf-8")
    return {"name": "saraksts.csv", "mimeType": "text/csv", "buffer": data}


def place_hold_as_officer(person) -> None:
    """Meanwhile, an escort officer of the unit places a hold on someone already listed."""
    membership = Membership.objects.select_related("organisation").get(
        user__username="rs.inspektors"
    )
    officer = Actor(user=membership.user, membership=membership)
    cases_services.place_hold(
        actor=officer, person=person, reason="Pirms izlidošanas stāsta par parādu darba devējam."
    )
    sync_conflicts_for_person(person=person, actor=officer)


def test_a_held_person_blocks_the_operation_until_taken_off(live_server, page: Page):
    load()
    riga = Organisation.objects.get(name=RIGA)
    # Four brothers: the same family name, different given names (not likely one person).
    first, second, third = (
        PersonFactory(organisation=riga, given_names=given, family_name="Karimovs")
        for given in ("Dilshod", "Sherzod", "Bekzod")
    )
    already_held = PersonFactory(organisation=riga, given_names="Otabek", family_name="Karimovs")
    ManualHoldFactory(person=already_held)

    sign_in(page, live_server.url, "rs.lietvedis")
    page.get_by_role("link", name="Izraidīšanas operācijas", exact=True).click()
    expect(page.locator("h1")).to_have_text("Izraidīšanas operācijas")
    assert_accessible(page)

    # Plan the operation.
    page.get_by_role("link", name="Plānot operāciju").click()
    page.get_by_label("Veids").select_option("charter")
    page.get_by_label("Numurs").fill("RP-2026/777")
    page.get_by_label("Izbraukšana (datums un laiks)").fill("2099-12-05T07:30")
    page.get_by_label("Maršruts").fill("Rīga – Taškenta")
    page.get_by_label("Atgriešanas valsts").select_option("UZ")
    page.get_by_label("Konvoja vadītājs").select_option(label="Jānis Kalniņš")
    page.get_by_label("Jānis Kalniņš").check()
    assert_accessible(page)
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.locator("h1")).to_have_text("Izraidīšanas operācija RP-2026/777")

    # A file with an already-held person is refused as a whole, row and column named.
    page.get_by_role("link", name="Importēt saraksta failu").click()
    page.get_by_label("Izraidāmo saraksta fails (.csv vai .xlsx)").set_input_files(
        manifest_csv(first.case_number, second.case_number, already_held.case_number)
    )
    page.get_by_role("button", name="Pārbaudīt un importēt").click()
    expect(page.get_by_role("alert")).to_contain_text("Nekas netika importēts")
    problems = page.get_by_role("table", name="Failā atrastās problēmas")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems).to_contain_text("case_number")
    expect(problems).to_contain_text(already_held.case_number)
    assert_accessible(page)

    # The corrected file goes in whole.
    page.get_by_label("Izraidāmo saraksta fails (.csv vai .xlsx)").set_input_files(
        manifest_csv(first.case_number, second.case_number, third.case_number)
    )
    page.get_by_role("button", name="Pārbaudīt un importēt").click()
    expect(page.locator(".messages")).to_contain_text("Sarakstā iekļautas 3 personas.")
    expect(page.get_by_role("heading", name="Izraidāmo saraksts: 3 personas")).to_be_visible()

    # A hold is placed on someone already on the manifest: a blocking conflict.
    place_hold_as_officer(second)
    page.reload()
    banner = page.locator("#blocking-conflict")
    expect(banner).to_contain_text("Bloķējošs konflikts")
    expect(banner).to_contain_text(second.case_number)
    assert_accessible(page)

    # Confirming is refused, with the reason.
    page.get_by_role("button", name="Apstiprināt operāciju").click()
    expect(page.locator(".messages")).to_contain_text("Operāciju nevar apstiprināt")
    expect(page.locator(".messages")).to_contain_text(second.case_number)
    assert RemovalOperation.objects.get(reference="RP-2026/777").status == "planned"
    assert Escalation.objects.filter(kind="removal_conflict", case_number=second.case_number)

    # The pre-departure check shows it too.
    page.get_by_role("link", name="Pārbaude pirms izbraukšanas").click()
    expect(page.locator("h1")).to_have_text(re.compile("Pārbaude pirms izbraukšanas"))
    expect(page.locator("tbody tr").first).to_contain_text("BLOĶĒJOŠS KONFLIKTS")
    expect(page.locator("tbody tr").first).to_contain_text(second.case_number)
    assert_accessible(page)
    page.get_by_role("link", name="Atpakaļ uz operāciju").click()

    # Taking the held person off resolves the conflict; now the operation can be confirmed.
    page.get_by_role("button", name=f"Izņemt {second.case_number} no saraksta").click()
    expect(page.locator(".messages")).to_contain_text(f"{second.case_number} vairs nav sarakstā.")
    expect(page.locator("#blocking-conflict")).to_have_count(0)
    page.get_by_role("button", name="Apstiprināt operāciju").click()
    expect(page.locator(".messages")).to_contain_text("Operācija ir apstiprināta.")
    expect(page.locator("main")).to_contain_text("apstiprināta")
    assert_accessible(page)
    assert RemovalOperation.objects.get(reference="RP-2026/777").status == "confirmed"
    assert not Escalation.objects.filter(kind="removal_conflict", resolved_at__isnull=True)
