"""The core referral pages the four-role journey does not reach, in the browser with axe-core:
the orphan's court's child case, the police's anonymous notification, the Ombudsman's view of a
recognised person's suspicion, and the Border Guard's hold-release page with its blockers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from atpazit.accounts.demo import load as load_accounts
from atpazit.referrals.demo import load as load_referrals
from atpazit.referrals.models import AnonymousNotification, Referral, Suspicion
from tests.e2e.conftest import assert_accessible, sign_in_on_a_tablet

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_core_referral_pages_are_accessible_and_keep_to_need_to_know(live_server, browser):
    load_accounts()
    load_referrals()
    base = live_server.url

    court = sign_in_on_a_tablet(browser, base, "barintiesa")
    child = Suspicion.objects.get(child_path=True)
    expect(court.locator("main")).to_contain_text(child.person.case_number)  # the dashboard notice
    court.goto(base + reverse("referrals:child_detail", args=[child.pk]))
    expect(court.locator(".banner-child")).to_be_visible()
    expect(court.locator("main")).to_contain_text(child.person.family_name)
    expect(court.locator("main")).not_to_contain_text(child.reason)
    assert_accessible(court)

    police = sign_in_on_a_tablet(browser, base, "vp.izmekletajs")
    police.goto(base + reverse("referrals:anonymous_list"))
    assert_accessible(police)
    notice = AnonymousNotification.objects.get(to_organisation__type="police")
    police.goto(base + reverse("referrals:anonymous_detail", args=[notice.pk]))
    expect(police.locator("main")).to_contain_text("DR-01")
    expect(police.locator("main")).not_to_contain_text(notice.suspicion.person.case_number)
    expect(police.locator("main")).not_to_contain_text(notice.suspicion.person.family_name)
    assert_accessible(police)

    monitor = sign_in_on_a_tablet(browser, base, "tb.monitors")
    recognised = Referral.objects.get(status="recognised")
    monitor.goto(base + reverse("referrals:suspicion_detail", args=[recognised.suspicion_id]))
    expect(monitor.locator("main")).not_to_contain_text("Demo komisijas piezīmes")
    assert_accessible(monitor)
    monitor.goto(base + reverse("referrals:suspicion_list"))
    assert_accessible(monitor)

    case_officer = sign_in_on_a_tablet(browser, base, "rs.lietvedis")
    case_officer.goto(base + reverse("referrals:hold_release", args=[recognised.suspicion_id]))
    expect(case_officer.locator(".alert")).to_be_visible()  # recognised: the hold stays
    expect(case_officer.locator("main form[method=post]")).to_have_count(0)
    assert_accessible(case_officer)
    case_officer.goto(base + reverse("referrals:risk_assessment", args=[recognised.suspicion_id]))
    assert_accessible(case_officer)
