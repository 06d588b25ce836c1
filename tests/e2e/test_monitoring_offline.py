"""A monitor in an aircraft records an observation with no connection (issue 12 item 7).

The tablet goes offline; the observation is kept on the device, encrypted, and listed as not
recorded yet; nothing reaches the server. The connection returns: the device sends it and the
server records it exactly once, even when the queue is sent a second time."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, expect

from atpazit.monitoring.models import Mission, Observation
from tests.e2e.conftest import assert_accessible, sign_in_on_a_tablet

pytestmark = pytest.mark.django_db(transaction=True)
OBSERVED = "Pavadonis lidmašīnā atbild sievietes vietā un tur viņas pasi."


# The queued entry as stored (ciphertext), copied aside and later put back into the queue.
KEEP_A_COPY = """() => new Promise((resolve) => {
  const open = indexedDB.open("atpazit-offline");
  open.onsuccess = () => {
    const get = open.result.transaction("observations").objectStore("observations").getAll();
    get.onsuccess = () => {
      const entry = get.result[0];
      const copy = {...entry, iv: Array.from(entry.iv), data: Array.from(new Uint8Array(entry.data))};
      sessionStorage.setItem("copy", JSON.stringify(copy));
      resolve(new TextDecoder().decode(entry.data));
    };
  };
})"""
PUT_THE_COPY_BACK = """() => new Promise((resolve) => {
  const copy = JSON.parse(sessionStorage.getItem("copy"));
  copy.iv = new Uint8Array(copy.iv);
  copy.data = new Uint8Array(copy.data).buffer;
  const open = indexedDB.open("atpazit-offline");
  open.onsuccess = () => {
    const tx = open.result.transaction("observations", "readwrite");
    tx.objectStore("observations").put(copy);
    tx.oncomplete = () => resolve(true);
  };
})"""


def _recorded(mission: Mission) -> list[Observation]:
    return [row for row in Observation.objects.filter(mission=mission) if row.text == OBSERVED]


def test_an_observation_recorded_offline_is_sent_once_when_back_online(
    live_server, browser: Browser
):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the demo's printout
    base = live_server.url
    mission = Mission.objects.get(operation__reference="RP-2026/014")
    page = sign_in_on_a_tablet(browser, base, "tb.monitors")
    page.goto(base + reverse("monitoring:stage", args=[mission.pk, "in_flight"]))
    before = Observation.objects.filter(mission=mission).count()

    page.context.set_offline(True)
    form = page.locator("form[data-observation-form]")
    form.locator("textarea[name=text]").fill(OBSERVED)
    form.locator("label").filter(has=page.locator("input[value=serious]")).click()
    form.locator("select[name=category]").select_option("escort")
    form.locator("button[type=submit]").click()

    queue = page.locator("[data-offline-queue]")
    expect(queue).to_be_visible()
    expect(queue.locator("[data-queued]")).to_have_count(1)
    expect(queue).to_contain_text(OBSERVED)
    expect(queue.locator("[data-queue-status]")).not_to_be_empty()
    assert_accessible(page)
    assert Observation.objects.filter(mission=mission).count() == before
    stored = page.evaluate(KEEP_A_COPY)
    assert stored
    assert "Pavadonis" not in stored  # encrypted at rest

    page.context.set_offline(False)
    # Sent, and the page reloaded: the observation is in the stage's table, read from the server.
    expect(page.locator("table")).to_contain_text(OBSERVED, timeout=15000)
    page.wait_for_load_state()
    expect(queue.locator("[data-queued]")).to_have_count(0)
    recorded = _recorded(mission)
    assert len(recorded) == 1
    assert recorded[0].client_id is not None

    # The same entry sent again (an answer lost on the way, a second tab) records nothing new.
    page.evaluate(PUT_THE_COPY_BACK)
    page.reload()
    expect(page.locator("[data-queue-status]")).not_to_be_empty(timeout=15000)
    expect(page.locator("[data-queued]")).to_have_count(0)
    assert len(_recorded(mission)) == 1
