"""Background work for accounts, run by `atpazit worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from atpazit.accounts.passwords import deliver_password_link


@task()
def send_password_link(link_id: int) -> str:
    """E-mail a one-time link to set one's password; the token is made only now (passwords.py)."""
    return deliver_password_link(link_id=link_id)
