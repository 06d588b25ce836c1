"""Background work for notifications, run by `atpazit worker` (django-tasks, database backend)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from atpazit.notifications.models import OutgoingEmail

logger = logging.getLogger("atpazit.mail")

MAX_ATTEMPTS = 5


@task()
def send_email(email_id: int) -> str:
    """Send one queued e-mail; record the outcome on the row (never the body in logs).

    A refused or unreachable mail server is expected: the row stays queued for the tick to retry
    (failed after MAX_ATTEMPTS) and the worker logs one line, no traceback. Anything else is a
    bug and still raises.
    """
    email = OutgoingEmail.objects.get(pk=email_id)
    if email.status == OutgoingEmail.Status.SENT:
        return "already sent"
    email.attempts += 1
    try:
        send_mail(email.subject, email.body, None, [email.to], fail_silently=False)
    except OSError as exc:  # SMTP errors are OSErrors: connection refused, timeouts, rejections
        gave_up = email.attempts >= MAX_ATTEMPTS
        email.status = OutgoingEmail.Status.FAILED if gave_up else OutgoingEmail.Status.QUEUED
        email.last_error = f"{type(exc).__name__}: {exc}"[:300]
        email.save(update_fields=["attempts", "status", "last_error"])
        logger.warning(
            "E-mail %s not sent (attempt %s of %s, %s): %s",
            email.pk,
            email.attempts,
            MAX_ATTEMPTS,
            "given up" if gave_up else "will retry",
            type(exc).__name__,
        )
        return "failed" if gave_up else "retrying"
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.save(update_fields=["attempts", "status", "sent_at"])
    return "sent"


def retry_queued_emails() -> int:
    """Re-enqueue e-mails that failed before; called by `atpazit tick`."""
    ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, attempts__gt=0
        ).values_list("pk", flat=True)
    )
    for email_id in ids:
        send_email.enqueue(email_id)
    return len(ids)
