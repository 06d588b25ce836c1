"""Playwright against the system Chromium. In CI a missing browser fails instead of skipping."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from atpazit.accounts.demo import DEMO_PASSWORD

CHROMIUM = os.environ.get("ATPAZIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
# A tablet in landscape, in Latvian: the device the Border Guard uses in detention centres.
TABLET: dict[str, Any] = {"viewport": {"width": 1180, "height": 820}, "locale": "lv-LV"}
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory and the live server's threads share its one
    connection; two requests at once (an htmx preview racing a form submit) interleave their
    transactions on it and fail with "cannot start a transaction within a transaction". Keeping
    the threads (so an idle keep-alive connection blocks nobody) but serialising the application
    removes that race without slowing the journeys down measurably.
    """

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Any:
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM}; install the 'chromium' package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **TABLET}


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page; fail on serious or critical WCAG 2.1 A/AA violations."""
    if not AXE_SOURCE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    # Runtime evaluation is not subject to the page's CSP, so axe needs no script-src exception.
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in serious
    ]
    assert serious == [], json.dumps(summary, indent=2)


def code_for(username: str) -> str:
    """The current TOTP code of a demo user's authenticator."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign a demo user in on ``page`` (in Latvian) with password and TOTP, onto the dashboard."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Lietotājvārds").fill(username)
    page.get_by_label("Parole").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Turpināt").click()
    page.get_by_label("Kods").fill(code_for(username))
    page.get_by_role("button", name="Pārbaudīt").click()
    expect(page.locator("h1")).to_have_text("Darbvirsma")


def sign_in_on_a_tablet(browser: Browser, base_url: str, username: str) -> Page:
    """A fresh tablet for ``username``, signed in with password and TOTP in whatever language
    the user reads."""
    page = browser.new_context(**TABLET).new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.locator("input[name=token]").fill(code_for(username))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return page


def tick(page: Page, dimension: str, code: str) -> None:
    """Tick an indicator on the interview form, opening its dimension first."""
    group = page.locator(f'details[data-dimension="{dimension}"]')
    if group.get_attribute("open") is None:
        group.locator("summary").first.click()
    page.locator(f"#id_ind_{code.replace('-', '_')}").check()
