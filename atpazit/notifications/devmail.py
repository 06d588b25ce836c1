"""The development mailbox: in development mode e-mails are kept as files, not sent.

Development mode without an SMTP server (no ``ATPAZIT_EMAIL_HOST``) uses this backend. Each
message becomes one ``.eml`` file under ``var/dev-mailbox/`` (the folder 0700, each file 0600:
an invitation link in it signs its reader in as someone else); the worker logs one line per
message, and a signed-in user reads the messages addressed to their own e-mail address on the
development mailbox page (``notifications:dev_mailbox``; a system administrator or superuser
reads all of them), which answers 404 outside development mode. Production always sends over
SMTP and refuses to start with DEBUG on; the test suite uses Django's in-memory outbox or a real
local SMTP server.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage as ParsedMessage
from email.utils import getaddresses, parsedate_to_datetime
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

logger = logging.getLogger("atpazit.mail")

BACKEND = "atpazit.notifications.devmail.DevMailboxBackend"
ENVELOPE_HEADER = "X-Dev-Mailbox-Recipients"
SHOWN = 200  # the newest messages the page lists


def mailbox_dir() -> Path:
    return Path(settings.VAR_DIR) / "dev-mailbox"


def is_enabled() -> bool:
    """The mailbox exists only in development mode, and only when e-mails go into it."""
    return bool(settings.DEBUG and not settings.PRODUCTION and settings.EMAIL_BACKEND == BACKEND)


class DevMailboxBackend(BaseEmailBackend):
    """Writes each message to its own file in the development mailbox; sends nothing."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = mailbox_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # also a folder made before the mode was set
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            mime = message.message()
            # Every envelope recipient (Bcc too, which the headers leave out), so the page can
            # show each user only their own messages.
            mime[ENVELOPE_HEADER] = ", ".join(message.recipients())
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(mime.as_bytes())
            logger.info("E-mail kept in the development mailbox: %s", path.name)
        return len(email_messages)


@dataclass(frozen=True)
class MailboxMessage:
    name: str
    to: str
    subject: str
    sent_at: datetime | None
    body: str
    recipients: frozenset[str] = frozenset()

    def is_for(self, address: str) -> bool:
        return bool(address) and address.strip().lower() in self.recipients


def _parse(path: Path) -> MailboxMessage:
    parsed: Any = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, ParsedMessage)  # noqa: S101 - policy.default parses to EmailMessage
    part = parsed.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    date = parsed.get("Date")
    headers = [str(parsed.get(name, "")) for name in ("To", "Cc", ENVELOPE_HEADER)]
    recipients = frozenset(address.lower() for _name, address in getaddresses(headers) if address)
    return MailboxMessage(
        name=path.name,
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        sent_at=parsedate_to_datetime(str(date)) if date else None,
        body=body,
        recipients=recipients,
    )


def messages_in_mailbox(*, for_address: str | None) -> list[MailboxMessage]:
    """The newest messages first, only those addressed to ``for_address`` (``None``: all, for
    a system administrator); an empty list when nothing was sent yet."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    messages = (_parse(path) for path in sorted(folder.glob("*.eml"), reverse=True))
    if for_address is not None:
        messages = (message for message in messages if message.is_for(for_address))
    return list(islice(messages, SHOWN))
