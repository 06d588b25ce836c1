"""Playwright against the system Chromium. In CI a missing browser fails instead of skipping."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Page

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
    # A tablet in landscape: the device the Border Guard uses in detention centres.
    return {**browser_context_args, "viewport": {"width": 1180, "height": 820}, "locale": "lv-LV"}


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
