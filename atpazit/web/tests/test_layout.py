"""The shell every page shares (issue 11): the error summary at the top of a refused form, the
header menu that works without JavaScript, no list that submits by itself, and the dashboard's
short summary first. The browser side (widths, axe, the menu's behaviour) is in
tests/e2e/test_layout.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from atpazit.accounts.roles import Role
from atpazit.accounts.tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_officer():
    return member(Role.BG_CASE_OFFICER, language="en")


def test_a_refused_form_lists_its_errors_at_the_top_linking_to_each_field(client_for, case_officer):
    response = client_for(case_officer).post(
        reverse("cases:person_create"), {"given_names": "Anna"}
    )

    page = response.content.decode()
    summary = page.index("data-error-summary")
    assert summary < page.index('<form method="post" novalidate>')
    assert page.index("<main") < summary
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', page[summary:])
    assert links, "the summary links to the fields"
    for anchor, _text in links:
        assert f'id="{anchor}"' in page, f"#{anchor} is not on the page"
    # The message is still at the field as well.
    assert 'class="errorlist"' in page


def test_a_page_without_a_refused_form_has_no_summary(client_for, case_officer):
    response = client_for(case_officer).get(reverse("cases:person_create"))

    assert "data-error-summary" not in response.content.decode()


def test_the_header_menu_is_a_real_button_and_the_lists_do_not_submit_themselves(
    client_for, case_officer
):
    page = client_for(case_officer).get(reverse("web:dashboard")).content.decode()

    assert re.search(
        r'<button type="button" class="menu-toggle" data-menu-toggle aria-expanded="true" '
        r'aria-controls="site-menu" hidden>',
        page,
    )
    assert 'id="site-menu"' in page
    # Without JavaScript the button stays hidden and sign-out is in the open menu.
    assert page.index('id="site-menu"') < page.index("accounts/logout")
    assert "data-autosubmit" not in page


def test_the_dashboard_starts_with_counts_linking_to_its_panels(client_for, case_officer):
    response = client_for(case_officer).get(reverse("web:dashboard"))

    page = response.content.decode()
    panels = response.context["panels"]
    assert len(panels) > 1
    assert page.index('id="dashboard-summary"') < page.index('id="panel-1"')
    for number, panel in enumerate(panels, start=1):
        assert f'href="#panel-{number}"' in page
        assert f'id="panel-{number}"' in page
        if panel.count is not None:
            assert f'<span class="badge">{panel.count}</span>' in page or (
                f'<span class="badge badge-warn">{panel.count}</span>' in page
            )
