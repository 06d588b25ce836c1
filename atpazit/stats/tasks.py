"""Background work for the statistics, run by ``atpazit worker`` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from atpazit.stats.services import freeze_closed_years as freeze


@task()
def freeze_closed_years() -> list[int]:
    """Count every closed year's national figures again (nightly; ADR 0028)."""
    return freeze()
