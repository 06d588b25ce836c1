"""The scheduled purge, run by ``atpazit worker`` (django-tasks, database backend).

``atpazit tick`` calls ``enqueue_daily_purge`` on every run (a tick job registered in
``apps.py``); it queues the purge at most once a day, and only when
``ATPAZIT_RETENTION_AUTO_PURGE`` is on.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from atpazit.retention import services
from atpazit.retention.models import PurgeRun


@task()
def purge_expired(run_id: int) -> dict[str, int]:
    """Apply the purge for the queued run; returns its counts (codes and numbers)."""
    run = PurgeRun.objects.get(pk=run_id)
    if run.status != PurgeRun.Status.QUEUED:
        return {}
    done = services.purge(apply=True, trigger=PurgeRun.Trigger.SCHEDULE, run=run)
    return dict(done.counts)


def enqueue_daily_purge() -> int:
    """Queue the purge when it is switched on and no scheduled run was queued in the last day
    (one that failed is retried the next day, not every minute). Returns 0 or 1."""
    if not settings.ATPAZIT_RETENTION_AUTO_PURGE:
        return 0
    since = timezone.now() - dt.timedelta(days=1)
    if PurgeRun.objects.filter(trigger=PurgeRun.Trigger.SCHEDULE, started_at__gte=since).exists():
        return 0
    run = services.queue_scheduled_purge()
    purge_expired.enqueue(run.pk)
    return 1
