"""Signing out on a monitor's tablet (issue 12 item 7, ADR 0020 "Sign-out").

With nothing waiting on the device, signing out deletes the monitor's key from the browser: no
observation of theirs stays usable on the tablet. With an observation not recorded yet, the
monitor is warned first; staying keeps them signed in, signing out anyway keeps the observation
and its key on the device (never silently dropped)."""

from __future__ import annotations

import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Dialog, Page, expect

from atpazit.accounts.models import User
from atpazit.monitoring.models import Mission, Observation
from tests.e2e.conftest import sign_in, sign_in_on_a_tablet

pytestmark = pytest.mark.django_db(transaction=True)
WAITING = "Pavadonis neļāva personai runāt ar tulku."

# The keys and the queue of the offline store, by owner (user id).
STORE = """() => new Promise((resolve) => {
  const open = indexedDB.open("atpazit-offline", 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore("keys", { keyPath: "owner" });
    open.result.createObjectStore("observations", { keyPath: "id" }).createIndex("owner", "owner");
  };
  open.onsuccess = () => {
    const tx = open.result.transaction(["keys", "observations"]);
    const keys = tx.objectStore("keys").getAllKeys();
    const queue = tx.objectStore("observations").getAll();
    tx.oncomplete = () => {
      resolve({ keys: keys.result, queued: queue.result.map((entry) => entry.owner) });
      open.result.close();
    };
  };
})"""


def _record(page: Page, text: str) -> None:
    form = page.locator("form[data-observation-form]")
    form.locator("textarea[name=text]").fill(text)
    form.locator("label").filter(has=page.locator("input[value=concern]")).click()
    form.locator("select[name=category]").select_option("interpretation")
    form.locator("button[type=submit]").click()


def _sign_out(page: Page) -> None:
    page.locator("form[data-sign-out] button[type=submit]").click()


def _store_becomes(page: Page, expected: dict[str, list[str]]) -> None:
    # The sweep runs after the page has loaded, asynchronously: wait for its result.
    deadline = time.monotonic() + 15
    while page.evaluate(STORE) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert page.evaluate(STORE) == expected


def test_signing_out_wipes_the_key_and_never_drops_a_waiting_observation(
    live_server, browser: Browser
):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url
    mission = Mission.objects.get(operation__reference="RP-2026/014")
    stage = base + reverse("monitoring:stage", args=[mission.pk, "boarding"])

    # The head of monitoring goes too: she records online, nothing waits, signing out wipes.
    head = User.objects.get(username="tb.vaditaja")
    mission.monitors.add(head)
    page = sign_in_on_a_tablet(browser, base, "tb.vaditaja")
    page.goto(stage)
    _record(page, "Iekāpšana notika mierīgi.")
    expect(page.locator("table")).to_contain_text("Iekāpšana notika mierīgi.", timeout=15000)
    assert str(head.pk) in page.evaluate(STORE)["keys"]
    asked: list[str] = []
    page.on("dialog", lambda dialog: asked.append(dialog.message) or dialog.dismiss())
    _sign_out(page)
    expect(page).to_have_url(f"{base}/accounts/login/", timeout=15000)
    assert asked == []  # nothing waited: no question
    assert page.evaluate(STORE) == {"keys": [], "queued": []}
    page.context.close()

    # The monitor's observation cannot be recorded (the server refuses it for now): it waits.
    monitor = User.objects.get(username="tb.monitors")
    page = sign_in_on_a_tablet(browser, base, "tb.monitors")
    page.route(
        "**/sync/",
        lambda route: route.fulfill(
            status=409,
            content_type="application/json",
            body='{"status": "conflict", "message": "Not now."}',
        ),
    )
    page.goto(stage)
    before = Observation.objects.filter(mission=mission).count()
    _record(page, WAITING)
    expect(page.locator("[data-queued]")).to_have_count(1)

    # Signing out warns; staying keeps the monitor signed in with the observation waiting.
    questions: list[str] = []

    def stay(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", stay)
    # The question comes after the script has looked into the tablet's store (asynchronous):
    # wait for it rather than for the page, which does not change.
    with page.expect_event("dialog", timeout=15000):
        _sign_out(page)
    expect(page.locator("[data-queued]")).to_have_count(1)
    assert len(questions) == 1
    assert "1" in questions[0]
    assert page.url == stage

    # Signing out anyway keeps the observation and its key on the tablet, encrypted.
    page.once("dialog", lambda dialog: dialog.accept())
    _sign_out(page)
    expect(page).to_have_url(f"{base}/accounts/login/", timeout=15000)
    store = page.evaluate(STORE)
    assert store["keys"] == [str(monitor.pk)]
    assert store["queued"] == [str(monitor.pk)]
    assert Observation.objects.filter(mission=mission).count() == before

    # The head signs in on the same tablet, records online, and walks away: her session ends
    # by itself (idle timeout), with no sign-out. The sign-in page the tablet comes back to
    # wipes her key; the monitor's, with his observation waiting, stays.
    # (Her code of a minute ago would be refused as replayed: forget it, as a new window would.)
    TOTPDevice.objects.filter(user=head).update(last_t=-1)
    page.unroute("**/sync/")  # the server records again
    sign_in(page, base, "tb.vaditaja")
    page.goto(stage)
    _record(page, "Pasažieri iekāpa bez starpgadījumiem.")
    expect(page.locator("table")).to_contain_text("bez starpgadījumiem", timeout=15000)
    assert sorted(page.evaluate(STORE)["keys"]) == sorted([str(head.pk), str(monitor.pk)])
    page.context.clear_cookies()
    page.goto(stage)
    expect(page).to_have_url(re.compile(r"/accounts/login/"), timeout=15000)
    _store_becomes(page, {"keys": [str(monitor.pk)], "queued": [str(monitor.pk)]})
