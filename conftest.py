"""Fixtures shared by every test: personas and a client that has passed two-factor sign-in."""

from __future__ import annotations

import os
from collections.abc import Callable

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # pytest-playwright runs an event loop

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.models import User
from atpazit.accounts.tests.factories import member


def verified_client(user: User) -> Client:
    """A test client signed in as ``user`` with the second factor already verified."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return verified_client


@pytest.fixture
def make_member() -> Callable[..., User]:
    return member
