"""Exports that are audited as disclosures are POSTs with the CSRF token of their page: a request
from another site (a link, an image, a form) or a browser's prefetch cannot start one in a
signed-in user's name. Each download of tests/authz.py DOWNLOADS, by the first role allowed it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from atpazit.accounts.permissions import permissions_for
from atpazit.accounts.roles import Role
from atpazit.accounts.tests.factories import member
from atpazit.audit.models import AuditEvent, Disclosure
from conftest import verified_client
from tests.authz import DOWNLOADS, Download

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def download_form_token(page: str, *, posts_to: str, page_url: str) -> str:
    """The CSRF token of the page's POST form whose action is the download."""
    for attributes, body in FORM.findall(page):
        action = re.search(r'action="([^"]*)"', attributes)
        target = action.group(1) if action else page_url
        if 'method="post"' in attributes and target == posts_to:
            token = TOKEN.search(body)
            assert token is not None, f"the form posting to {posts_to} has no CSRF token"
            return token.group(1)
    raise AssertionError(f"no POST form to {posts_to} on {page_url}")


def allowed_user(download: Download):
    role = next(role for role in Role if download.permission in permissions_for(role.value))
    return member(role.value)


@pytest.mark.parametrize("download", DOWNLOADS, ids=lambda d: d.route)
def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(download: Download):
    user = allowed_user(download)
    client = verified_client(user, enforce_csrf_checks=True)
    url = reverse(download.route, kwargs=download.kwargs(user))
    events, disclosures = AuditEvent.objects.count(), Disclosure.objects.count()

    response = client.post(url, download.data(user))

    assert response.status_code == 403
    assert "attachment" not in response.get("Content-Disposition", "")
    assert not AuditEvent.objects.filter(action=download.event).exists()
    assert (AuditEvent.objects.count(), Disclosure.objects.count()) == (events, disclosures)


@pytest.mark.parametrize("download", DOWNLOADS, ids=lambda d: d.route)
def test_the_form_on_its_page_carries_the_token_and_downloads(download: Download):
    user = allowed_user(download)
    client = verified_client(user, enforce_csrf_checks=True)
    kwargs = download.kwargs(user)
    url = reverse(download.route, kwargs=kwargs)
    page_url = reverse(download.page, kwargs=kwargs)
    page = client.get(page_url).content.decode()
    token = download_form_token(page, posts_to=url, page_url=page_url)

    response = client.post(url, {**download.data(user), "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action=download.event).count() == 1
