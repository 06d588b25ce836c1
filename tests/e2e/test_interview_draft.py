"""Work that is never lost (issue 11): an officer on a phone ticks indicators; every change is
kept as a draft, so a reload or a click on the menu loses nothing. Each folded group counts its
ticks, the recommendation stays in view while ticking, and leaving before a change is kept
(offline) asks first."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from atpazit.accounts.demo import DEMO_PASSWORD
from atpazit.screening.models import InterviewDraft, ScreeningSession
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "lv-LV", "has_touch": True}


def sign_in(browser: Browser, base_url: str, username: str) -> Page:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=token]").fill(f"{code:06d}")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return page


def group(page: Page, dimension: str):
    return page.locator(f'details[data-dimension="{dimension}"]')


def tick(page: Page, dimension: str, code: str) -> None:
    folded = group(page, dimension)
    if folded.get_attribute("open") is None:
        folded.locator("summary").first.click()
    page.locator(f"#id_ind_{code.replace('-', '_')}").check()


def wait_until_kept(page: Page, revision: int) -> None:
    expect(page.locator("#draft-revision")).to_have_value(str(revision))


def test_ticks_and_notes_survive_a_reload_and_a_click_on_the_menu(live_server, browser):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    session = ScreeningSession.objects.filter(
        completed_at__isnull=True, screener__username="rs.inspektors"
    ).first()
    assert session is not None
    url = live_server.url + reverse("screening:session_interview", args=[session.pk])
    page = sign_in(browser, live_server.url, "rs.inspektors")
    page.goto(url)
    exploitation = group(page, "exploitative_conditions")
    before = int(exploitation.locator("[data-ticked-count]").inner_text())

    # Tick: the folded group counts it at once and the recommendation stays in view.
    tick(page, "exploitative_conditions", "EX-02")
    expect(exploitation.locator("[data-ticked-count]")).to_have_text(str(before + 1))
    wait_until_kept(page, 1)
    live = page.locator("#live-recommendation")
    page.locator("#id_note_EX_02").scroll_into_view_if_needed()
    expect(live).to_be_in_viewport()
    exploitation.locator("summary").first.click()  # folded again: the count still shows
    expect(exploitation.locator("summary").first).to_contain_text(f"{before + 1}")

    # Reload: still ticked.
    page.reload()
    expect(page.locator("#draft-restored")).to_be_visible()
    expect(page.locator("#id_ind_EX_02")).to_be_checked()
    assert_accessible(page)

    # A note, then a click on the menu and back: the note and the tick are still there.
    tick(page, "deceptive_recruitment", "DR-01")
    wait_until_kept(page, 2)
    page.locator("#id_note_DR_01").fill("Solīja darbu noliktavā.")
    wait_until_kept(page, 3)
    page.locator("button[data-menu-toggle]").click()
    page.locator(".main-nav a").first.click()
    expect(page.locator("h1")).to_have_text("Darbvirsma")
    page.goto(url)
    expect(page.locator("#id_ind_DR_01")).to_be_checked()
    expect(page.locator("#id_ind_EX_02")).to_be_checked()
    expect(page.locator("#id_note_DR_01")).to_have_value("Solīja darbu noliktavā.")
    expect(page.locator("#live-recommendation")).to_contain_text("nosūtīt identificēšanai")
    assert_accessible(page)

    # Nothing is in the session itself until "Save"; then the draft is done.
    session.refresh_from_db()
    assert not session.observations.filter(indicator="DR-01").exists()
    page.locator('button[name="action"][value="save"]').click()
    expect(page.locator("#draft-restored")).to_have_count(0)
    assert session.observations.filter(indicator="DR-01").exists()
    assert not InterviewDraft.objects.filter(session=session).exists()


def test_leaving_with_a_change_not_yet_kept_asks_first(live_server, browser):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    session = ScreeningSession.objects.filter(
        completed_at__isnull=True, screener__username="rs.inspektors"
    ).first()
    assert session is not None
    page = sign_in(browser, live_server.url, "rs.inspektors")
    page.goto(live_server.url + reverse("screening:session_interview", args=[session.pk]))

    page.context.set_offline(True)
    tick(page, "deceptive_recruitment", "DR-01")
    expect(page.locator("#draft-status")).to_contain_text("nav savienojuma")

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_the_language_selector_does_not_leave_the_page(live_server, browser):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    page = sign_in(browser, live_server.url, "rs.inspektors")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.evaluate("window.__still_here = true")

    page.locator("#language-switch").select_option("en")
    page.wait_for_timeout(300)

    assert page.evaluate("window.__still_here") is True
    expect(page.locator("h1")).to_have_text("Darbvirsma")
