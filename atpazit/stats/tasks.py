"""Background work for the statistics, run by ``atpazit worker`` (django-tasks)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from atpazit.stats import selectors, services
from atpazit.stats.models import ClosedYear


@task()
def freeze_closed_years() -> list[int]:
    """Count every closed year's national figures again (nightly; ADR 0028)."""
    return services.freeze_closed_years()


@task()
def count_current_year() -> int:
    """Count the current year's national figures again (every few minutes; ADR 0028)."""
    return services.count_current_year()


def queue_current_year_count() -> int:
    """A tick job: queue ``count_current_year`` when the current year's count is older than
    ``ATPAZIT_STATS_RECOUNT_MINUTES`` (or missing) and none queued within that time is still
    waiting or running: a slow or stopped worker collects at most one count per cycle, and a
    count left "running" by a worker that died does not stop the next. Returns 0 or 1."""
    due = timezone.now() - datetime.timedelta(minutes=selectors.recount_minutes())
    year = timezone.localdate().year
    if ClosedYear.objects.filter(year=year, computed_at__gt=due).exists():
        return 0
    waiting = DBTaskResult.objects.filter(
        task_path=count_current_year.module_path,
        enqueued_at__gt=due,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
    )
    if waiting.exists():
        return 0
    count_current_year.enqueue()
    return 1
