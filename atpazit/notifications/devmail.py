"""The development mailbox: in development mode e-mails are kept as files, not sent.

Development mode without an SMTP server (no ``ATPAZIT_EMAIL_HOST``) uses this backend. Each
message becomes one ``.eml`` file under ``var/dev-mailbox/``; the worker logs one line per
message, and signed-in users read them on the development mailbox page
(``notifications:dev_mailbox``), which answers 404 outside development mode. Production always
sends over SMTP; the test suite uses Django's in-memory outbox or a real local SMTP server.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage as ParsedMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

logger = logging.getLogger("atpazit.mail")

BACKEND = "atpazit.notifications.devmail.DevMailboxBackend"
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
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            logger.info("E-mail kept in the development mailbox: %s", path.name)
        return len(email_messages)


@dataclass(frozen=True)
class MailboxMessage:
    name: str
    to: str
    subject: str
    sent_at: datetime | None
    body: str


def _parse(path: Path) -> MailboxMessage:
    parsed: Any = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, ParsedMessage)  # noqa: S101 - policy.default parses to EmailMessage
    part = parsed.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    date = parsed.get("Date")
    return MailboxMessage(
        name=path.name,
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        sent_at=parsedate_to_datetime(str(date)) if date else None,
        body=body,
    )


def messages_in_mailbox() -> list[MailboxMessage]:
    """The newest messages first; an empty list when nothing was sent yet."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.eml"), reverse=True)[:SHOWN]
    return [_parse(path) for path in paths]
