"""The written information on the reflection period (Law on the Residence of a Victim of
Trafficking, s.3): produced as a PDF for a non-EU national, kept exactly as handed over (encrypted,
with its SHA-256), downloaded on demand, and its receipt recorded."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.lib.errors import InvalidInput, ServiceError
from atpazit.referrals import services as core
from atpazit.referrals.models import Suspicion
from atpazit.reflection import pdf
from atpazit.reflection.common import (
    check_law_applies,
    reflection_days,
    reflection_start_event,
    require_in_scope,
)
from atpazit.reflection.models import InformationSheet


def sheet_handed_over(suspicion: Suspicion) -> bool:
    """True once an information sheet's receipt is recorded: the refusal release waits for it
    (registered with ``referrals.hooks`` in ``ReflectionConfig.ready``)."""
    return InformationSheet.objects.filter(
        suspicion=suspicion, handed_over_on__isnull=False
    ).exists()


def sheets_state(suspicion: Suspicion) -> list[tuple[int, dt.date | None]]:
    """The sheets and their receipts, for the fingerprint of a four-eyes release proposal."""
    return list(
        InformationSheet.objects.filter(suspicion=suspicion)
        .order_by("pk")
        .values_list("pk", "handed_over_on")
    )


def sheet_data(
    suspicion: Suspicion,
    *,
    person_language: str,
    officer_language: str,
    issued_on: dt.date,
    institution: str,
) -> pdf.SheetData:
    return pdf.SheetData(
        case_number=suspicion.person.case_number,
        issued_on=issued_on,
        institution=institution,
        person_language=person_language,
        officer_language=officer_language,
        days=reflection_days(),
        start_event=reflection_start_event(),
    )


@transaction.atomic
def generate_information_sheet(
    *, actor: Actor, suspicion: Suspicion, person_language: str, officer_language: str
) -> tuple[InformationSheet, bytes]:
    """Produce the written information on the reflection period for a non-EU national, in the
    person's language and then the officer's, with the case number (never the name), the date
    and a receipt to sign. The exact PDF is kept encrypted with its SHA-256.

    Needs ``referrals.information_sheet:generate`` and the suspicion in the actor's scope.
    Raises InvalidInput (unknown language), NotAllowed, ServiceError (EU national, closed).
    """
    organisation = require_in_scope(actor, "referrals.information_sheet:generate", suspicion)
    current = core.lock_suspicion(suspicion)
    core.check_open(current)
    check_law_applies(current.person)
    errors: dict[str, list[str]] = {}
    if not pdf.has_language(person_language):
        errors["person_language"] = [_("The information sheet is not written in that language.")]
    if officer_language not in dict(settings.LANGUAGES) or not pdf.has_language(officer_language):
        errors["officer_language"] = [_("Choose Latvian, English or Russian.")]
    if errors:
        raise InvalidInput(errors)
    data = sheet_data(
        current,
        person_language=person_language,
        officer_language=officer_language,
        issued_on=core.local_today(),
        institution=organisation.name,
    )
    try:
        document = pdf.render_information_sheet(data)
    except pdf.DocumentError as exc:
        raise ServiceError(
            _("The information sheet could not be produced. Try again, or tell the administrator.")
        ) from exc
    sheet = InformationSheet.objects.create(
        suspicion=current,
        person_language=person_language,
        officer_language=officer_language,
        generated_by=actor.user,
        document_sha256=hashlib.sha256(document).hexdigest(),
        document=base64.b64encode(document).decode("ascii"),
        text_version=pdf.text_version(),
    )
    log_event(
        "information_sheet.generated",
        obj=sheet,
        details={
            "suspicion": current.pk,
            "person_language": person_language,
            "officer_language": officer_language,
            "text_version": sheet.text_version,
            "sha256": sheet.document_sha256,
        },
    )
    return sheet, document


def information_sheet_pdf(sheet: InformationSheet) -> bytes:
    """The PDF exactly as it was generated (of a sheet from get_information_sheet_for_user), to
    hand to the reader; the read is audited here as ``information_sheet.downloaded`` (I7).
    Refuses a document whose hash no longer matches, and then nothing is read."""
    document = base64.b64decode(sheet.document) if sheet.document else b""
    if hashlib.sha256(document).hexdigest() != sheet.document_sha256:
        raise ServiceError(
            _("The stored information sheet does not match its fingerprint: generate a new one.")
        )
    log_event("information_sheet.downloaded", obj=sheet, details={"suspicion": sheet.suspicion_id})
    return document


@transaction.atomic
def record_receipt(
    *, actor: Actor, sheet: InformationSheet, handed_over_on: dt.date | None
) -> InformationSheet:
    """Record that the actor handed the sheet over to the person on ``handed_over_on``.

    Needs ``referrals.information_sheet:generate`` and the suspicion in scope. The date cannot be
    before the sheet was generated nor in the future. Raises InvalidInput, NotAllowed,
    ServiceError (already recorded).
    """
    require_in_scope(actor, "referrals.information_sheet:generate", sheet.suspicion)
    current = InformationSheet.objects.select_for_update().get(pk=sheet.pk)
    if current.receipt_recorded_at is not None:
        raise ServiceError(_("The receipt of this sheet is already recorded."))
    generated_on = timezone.localtime(current.generated_at).date()
    if handed_over_on is None:
        raise InvalidInput({"handed_over_on": [_("Give the date.")]})
    if handed_over_on > core.local_today():
        raise InvalidInput({"handed_over_on": [_("The date cannot be in the future.")]})
    if handed_over_on < generated_on:
        raise InvalidInput(
            {
                "handed_over_on": [
                    _("The sheet cannot have been handed over before it was produced.")
                ]
            }
        )
    current.handed_over_on = handed_over_on
    current.handed_over_by = actor.user
    current.receipt_recorded_at = timezone.now()
    current.save(update_fields=["handed_over_on", "handed_over_by", "receipt_recorded_at"])
    log_event(
        "information_sheet.receipt_recorded",
        obj=current,
        details={"suspicion": current.suspicion_id, "handed_over_on": handed_over_on.isoformat()},
    )
    return current
