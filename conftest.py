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

pytest_plugins = ["tests.personas"]


def verified_client(user: User, *, enforce_csrf_checks: bool = False) -> Client:
    """A test client signed in as ``user`` with the second factor already verified (checking
    the CSRF token as a browser's request is checked, with ``enforce_csrf_checks``)."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
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


class _Inbox:
    """Messages a real local SMTP server received during a test."""

    def __init__(self) -> None:
        from email import message_from_bytes, policy
        from email.message import Message

        # The default policy decodes RFC 2047 headers, so tests read subjects as people do.
        self._parse = lambda raw: message_from_bytes(raw, policy=policy.default)
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd API
        message = self._parse(envelope.content)  # type: ignore[attr-defined]
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)  # type: ignore[attr-defined]
        self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; Django sends to it over SMTP. Yields the inbox."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()
