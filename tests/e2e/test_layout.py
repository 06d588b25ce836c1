"""The whole app on a phone (390 px), a tablet in portrait (768 px) and a desktop (1366 px)
(issue 11): no page is wider than the screen, the header folds into a menu button below 900 px
that opens and closes (also from the keyboard), sign-out is reachable at every width, and axe-core
finds no violations. One sign-in per role; each role's main pages at each width."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from atpazit.accounts.demo import DEMO_PASSWORD
from atpazit.referrals.models import Suspicion
from atpazit.removals.models import RemovalOperation
from atpazit.screening.models import ScreeningSession
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (390, 768, 1366)
MENU_BREAKPOINT = 900


def sign_in(browser: Browser, base_url: str, username: str) -> Page:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="lv-LV").new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=token]").fill(f"{code:06d}")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return page


def assert_no_horizontal_scroll(page: Page, what: str) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
                .slice(0, 8)
                .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)"""
        )
        pytest.fail(f"{what} is {overflow}px wider than the screen: {culprits}")


def assert_header_menu_works(page: Page, width: int) -> None:
    toggle = page.locator("button[data-menu-toggle]")
    sign_out = page.locator("header form[action$='/logout/'] button[type=submit]")
    switcher = page.locator("#language-switch")
    if width >= MENU_BREAKPOINT:
        expect(toggle).to_be_hidden()
        expect(sign_out).to_be_visible()
        return
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(sign_out).to_be_visible()
    expect(switcher).to_be_visible()
    assert_no_horizontal_scroll(page, f"the open menu at {width}px")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()
    # From the keyboard: Enter opens, Escape closes and gives the focus back to the button.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(sign_out).to_be_visible()
    page.keyboard.press("Escape")
    expect(sign_out).to_be_hidden()
    expect(toggle).to_be_focused()


def check_pages(page: Page, base: str, paths: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 900 else 900})
        for path in paths:
            page.goto(base + path)
            expect(page.locator("h1")).to_be_visible()
            assert_no_horizontal_scroll(page, f"{path} at {width}px")
            assert_accessible(page)
        assert_header_menu_works(page, width)


def test_every_role_s_main_pages_fit_the_screen_at_phone_tablet_and_desktop_widths(
    live_server, browser
):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url
    operation = RemovalOperation.objects.order_by("pk").first()
    suspicion = Suspicion.objects.order_by("pk").first()
    in_progress = ScreeningSession.objects.filter(
        completed_at__isnull=True, screener__username="rs.inspektors"
    ).first()
    assert operation is not None
    assert suspicion is not None
    assert in_progress is not None

    officer = sign_in(browser, base, "rs.inspektors")
    check_pages(
        officer,
        base,
        [
            reverse("web:dashboard"),
            reverse("cases:person_list"),
            reverse("cases:person_detail", args=[in_progress.person_id]),
            reverse("screening:session_interview", args=[in_progress.pk]),
        ],
    )

    case_officer = sign_in(browser, base, "rs.lietvedis")
    check_pages(
        case_officer,
        base,
        [
            reverse("web:dashboard"),
            reverse("removals:operation_list"),
            reverse("removals:operation_detail", args=[operation.pk]),
            reverse("removals:pre_departure", args=[operation.pk]),
            reverse("referrals:suspicion_detail", args=[suspicion.pk]),
        ],
    )

    monitor = sign_in(browser, base, "tb.monitors")
    check_pages(
        monitor,
        base,
        [
            reverse("web:dashboard"),
            reverse("referrals:suspicion_list"),
            reverse("referrals:suspicion_detail", args=[suspicion.pk]),
            reverse("removals:pre_departure", args=[operation.pk]),
        ],
    )

    caseworker = sign_in(browser, base, "marta.socdarb")
    check_pages(caseworker, base, [reverse("web:dashboard"), reverse("referrals:referral_list")])


def test_without_javascript_the_menu_is_open_and_sign_out_is_there(live_server, browser):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    page = sign_in(browser, live_server.url, "rs.inspektors")
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="lv-LV",
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    phone = context.new_page()

    phone.goto(live_server.url + reverse("web:dashboard"))

    expect(phone.locator("button[data-menu-toggle]")).to_be_hidden()
    expect(phone.locator("header form[action$='/logout/'] button[type=submit]")).to_be_visible()
    assert_no_horizontal_scroll(phone, "the dashboard without JavaScript")


def test_a_refused_form_says_so_at_the_top_with_links_to_the_fields(live_server, browser):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    page = sign_in(browser, live_server.url, "rs.lietvedis")
    page.set_viewport_size({"width": 390, "height": 844})
    operation = RemovalOperation.objects.filter(status="planned").order_by("pk").first()
    assert operation is not None
    page.goto(live_server.url + reverse("removals:operation_detail", args=[operation.pk]))
    add = page.locator("main form").filter(has=page.locator("input[name=case_number]"))
    add.locator("input[name=case_number]").fill("AT-0000-000000")
    add.locator("button[type=submit]").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < 844  # in view on a phone, not 1,100 px down
    link = summary.locator("a").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(target)).to_be_focused()
    assert_accessible(page)
