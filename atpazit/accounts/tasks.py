"""Background work for accounts, run by `atpazit worker` (django-tasks, database backend)."""

from __future__ import annotations

import logging

from django_tasks import task

from atpazit.accounts.passwords import deliver_password_link

logger = logging.getLogger("atpazit.mail")


@task()
def send_password_link(link_id: int) -> str:
    """E-mail a one-time link to set one's password; the token is made only now (passwords.py).

    A refused or unreachable mail server is expected: nothing was stored (the transaction rolled
    back), the tick retries the link, and the worker logs one line instead of a traceback.
    """
    try:
        return deliver_password_link(link_id=link_id)
    except OSError as exc:  # SMTP errors are OSErrors: connection refused, timeouts, rejections
        logger.warning("Password link %s not sent (will retry): %s", link_id, type(exc).__name__)
        return "retrying"
