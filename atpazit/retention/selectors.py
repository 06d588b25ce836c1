"""Reads of the retention app: the schedule in force, the last runs, legal holds. Counts, codes,
dates and case numbers only, never a name."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.cases.models import Person
from atpazit.retention.models import LegalHold, PurgedCase, PurgeRun

REPORT_PERMISSION = "retention.report:read"
MANAGE_PERMISSION = "retention.legal_hold:manage"
LIFT_PERMISSION = "retention.legal_hold:lift"


def runs_visible_to(actor: Actor) -> QuerySet[PurgeRun]:
    """Every run for those who may read the report (the runs are system-wide); none otherwise."""
    if not actor.can(REPORT_PERMISSION):
        return PurgeRun.objects.none()
    return PurgeRun.objects.all()


def legal_holds_visible_to(actor: Actor) -> QuerySet[LegalHold]:
    if not actor.can(REPORT_PERMISSION):
        return LegalHold.objects.none()
    return LegalHold.objects.select_related("person", "placed_by")


def get_legal_hold_for_user(actor: Actor, pk: int) -> LegalHold:
    """A legal hold the actor may lift; 404 otherwise (I6)."""
    if not actor.can(LIFT_PERMISSION):
        raise Http404
    try:
        return legal_holds_visible_to(actor).get(pk=pk)
    except LegalHold.DoesNotExist as exc:
        raise Http404 from exc


def anonymised_record_notice(person: Person) -> list[str | Promise]:
    """The notice on a record the purge anonymised (registered in ``cases.notices``)."""
    if not PurgedCase.objects.filter(person_id=person.pk).exists():
        return []
    return [
        _(
            "This record was anonymised after its retention period: the person's name, documents "
            "and history are gone. If you meet the person again, register them anew. A removal "
            "hold can still be placed here."
        )
    ]
