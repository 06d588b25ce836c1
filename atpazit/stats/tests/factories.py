"""Volumes of screened persons for the statistics tests. Every name is invented."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import DecidedSessionFactory


def screened(
    organisation: Organisation,
    count: int,
    *,
    when: datetime.datetime | None = None,
    **person_fields: object,
) -> list[ScreeningSession]:
    """``count`` persons of ``organisation``, each screened once (decided) at ``when``."""
    sessions = []
    for _ in range(count):
        person: Person = PersonFactory(organisation=organisation, **person_fields)
        session = DecidedSessionFactory(person=person)
        if when is not None:
            ScreeningSession.objects.filter(pk=session.pk).update(completed_at=when)
        sessions.append(session)
    return sessions


# The closed year most statistics tests count.
YEAR = 2025


def set_fields(model: Any, pk: int, **fields: object) -> None:
    """Backdate or set fields a service would set itself (the year counted is in the past)."""
    model.objects.filter(pk=pk).update(**fields)


def in_year(year: int, month: int = 6, day: int = 15) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, 0, tzinfo=timezone.get_current_timezone())
