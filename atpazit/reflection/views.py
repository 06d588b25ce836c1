"""Pages of the reflection period: the written information (PDF and receipt), the grant, the
status with days left and alerts, and the early end.

Views parse input, call a selector or a service, and render. Every page about a person and every
PDF download is audited (I7); a suspicion outside the actor's scope is a 404 (I6).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.services import log_event
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import submitted
from atpazit.referrals.models import Suspicion
from atpazit.reflection import pdf
from atpazit.reflection import services as reflection
from atpazit.reflection.models import ReflectionPeriod

PAGE_SIZE = 50


class DateInput(forms.DateInput):
    input_type = "date"


def _officer_languages() -> list[tuple[str, str]]:
    return [
        (code, name) for code, name in pdf.sheet_languages() if code in dict(settings.LANGUAGES)
    ]


class InformationSheetForm(forms.Form):
    person_language = forms.ChoiceField(
        label=gettext_lazy("Language of the person"),
        choices=pdf.sheet_languages,
        help_text=gettext_lazy("The sheet is printed in this language first."),
    )
    officer_language = forms.ChoiceField(
        label=gettext_lazy("Your language"),
        choices=_officer_languages,
        help_text=gettext_lazy("The same text follows in this language, so you can explain it."),
    )


class ReceiptForm(forms.Form):
    handed_over_on = forms.DateField(label=gettext_lazy("Handed over on"), widget=DateInput)


class GrantForm(forms.Form):
    granted_on = forms.DateField(
        label=gettext_lazy("Date of the decision granting the period"), widget=DateInput
    )
    decision_reference = forms.CharField(label=gettext_lazy("Decision reference"), max_length=64)


class EndEarlyForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("Ended on"), widget=DateInput)
    reason = forms.ChoiceField(
        label=gettext_lazy("Why the period ends early"),
        choices=ReflectionPeriod.EarlyEndReason.choices,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required for “other reason”. Stored encrypted; never shown in lists."
        ),
    )


def _detail(suspicion: Suspicion) -> HttpResponse:
    return redirect("reflection:reflection_detail", pk=suspicion.pk)


def _default_person_language(suspicion: Suspicion) -> str:
    person = suspicion.person
    for code in [person.preferred_language, *person.languages]:
        if code and pdf.has_language(code):
            return code
    return "en"


def _default_officer_language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- list and status ---------------------------------------------------------------------------


@requires("referrals.followup:read")
def reflection_list_view(request: HttpRequest) -> HttpResponse:
    """Reflection periods of the cases the actor follows, ending soonest first."""
    actor = actor_for(request)
    today = timezone.localdate()
    page = Paginator(reflection.reflection_periods_visible_to(actor), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [reflection.reflection_status(period, today) for period in page]
    log_event("reflection.listed", details={"page": page.number, "shown": len(rows)})
    return render(request, "reflection/reflection_list.html", {"page": page, "rows": rows})


@requires("referrals.followup:read")
def reflection_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The reflection period of one suspicion: information sheets, the period and its alerts."""
    actor = actor_for(request)
    suspicion = reflection.get_followup_suspicion(actor, pk, shown_on="reflection_detail")
    period = (
        ReflectionPeriod.objects.filter(suspicion=suspicion)
        .select_related("recorded_by", "ended_early_by")
        .first()
    )
    can_sheets = actor.can("referrals.information_sheet:generate")
    context = {
        "suspicion": suspicion,
        "law_applies": reflection.law_applies(suspicion.person),
        "status": reflection.reflection_status(period) if period else None,
        "identification": reflection.identification_of(suspicion),
        "sheets": list(
            suspicion.information_sheets.select_related("generated_by", "handed_over_by")
        ),
        "can_sheets": can_sheets,
        "can_produce": can_sheets and suspicion.closed_at is None,
        "can_record": actor.can("referrals.reflection:record"),
        "grant_blockers": reflection.grant_blockers(suspicion) if period is None else [],
        "start_event": reflection.reflection_start_event(),
        "days": reflection.reflection_days(),
        "start_event_label": ReflectionPeriod.StartEvent(reflection.reflection_start_event()).label,
    }
    return render(request, "reflection/reflection_detail.html", context)


# --- the written information -------------------------------------------------------------------


@requires("referrals.information_sheet:generate")
@require_http_methods(["GET", "POST"])
def information_sheet_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    suspicion = reflection.get_followup_suspicion(actor, pk, shown_on="information_sheet_create")
    initial = {
        "person_language": _default_person_language(suspicion),
        "officer_language": _default_officer_language(),
    }
    form = InformationSheetForm(request.POST or None, initial=initial)
    made: list[Any] = []
    if submitted(
        request,
        form,
        lambda data: made.append(
            reflection.generate_information_sheet(actor=actor, suspicion=suspicion, **data)
        ),
    ):
        sheet, _document = made[0]
        messages.success(
            request,
            _(
                "The information sheet is ready: download it, print it, hand it over and record the receipt."
            ),
        )
        return redirect(
            f"{reverse('reflection:reflection_detail', kwargs={'pk': suspicion.pk})}#sheet-{sheet.pk}"
        )
    context = {
        "form": form,
        "suspicion": suspicion,
        "law_applies": reflection.law_applies(suspicion.person),
        # Translations not yet reviewed by a native speaker: named on the form (and in the
        # sheet's footer), so the officer can check with the interpreter.
        "draft_languages": [
            name
            for code, name in pdf.sheet_languages()
            if (review := pdf.review_of(code)) is not None and review.is_draft
        ],
    }
    return render(request, "reflection/reflection_sheet_form.html", context)


@requires("referrals.information_sheet:generate")
def information_sheet_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF as an attachment (never shown inline); every download is audited (by
    ``information_sheet_pdf``)."""
    actor = actor_for(request)
    sheet = reflection.get_information_sheet_for_user(actor, pk)
    try:
        document = reflection.information_sheet_pdf(sheet)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return _detail(sheet.suspicion)
    filename = f"reflection-period-{sheet.suspicion.person.case_number}-{sheet.person_language}-{sheet.officer_language}.pdf"
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires("referrals.information_sheet:generate")
@require_http_methods(["GET", "POST"])
def information_sheet_receipt_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    sheet = reflection.get_information_sheet_for_user(
        actor, pk, shown_on="information_sheet_receipt"
    )
    form = ReceiptForm(request.POST or None, initial={"handed_over_on": timezone.localdate()})
    if submitted(
        request,
        form,
        lambda data: reflection.record_receipt(actor=actor, sheet=sheet, **data),
    ):
        messages.success(request, _("The receipt is recorded."))
        return _detail(sheet.suspicion)
    return render(
        request,
        "reflection/reflection_receipt_form.html",
        {"form": form, "sheet": sheet, "suspicion": sheet.suspicion},
    )


# --- grant and early end -----------------------------------------------------------------------


@requires("referrals.reflection:record")
@require_http_methods(["GET", "POST"])
def reflection_grant_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    suspicion = reflection.get_followup_suspicion(actor, pk, shown_on="reflection_grant")
    form = GrantForm(request.POST or None, initial={"granted_on": timezone.localdate()})
    if submitted(
        request,
        form,
        lambda data: reflection.grant_reflection_period(actor=actor, suspicion=suspicion, **data),
    ):
        messages.success(request, _("The reflection period is recorded: no removal while it runs."))
        return _detail(suspicion)
    context = {
        "form": form,
        "suspicion": suspicion,
        "blockers": reflection.grant_blockers(suspicion),
        "start_event": reflection.reflection_start_event(),
        "days": reflection.reflection_days(),
    }
    return render(request, "reflection/reflection_grant_form.html", context)


@requires("referrals.reflection:record")
@require_http_methods(["GET", "POST"])
def reflection_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    suspicion = reflection.get_followup_suspicion(actor, pk, shown_on="reflection_end")
    period = ReflectionPeriod.objects.filter(suspicion=suspicion).first()
    running = period is not None and reflection.is_running(period)
    form = EndEarlyForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if period is not None and submitted(
        request,
        form,
        lambda data: reflection.end_reflection_period_early(actor=actor, period=period, **data),
    ):
        messages.success(request, _("The early end of the reflection period is recorded."))
        return _detail(suspicion)
    context = {"form": form, "suspicion": suspicion, "period": period, "running": running}
    return render(request, "reflection/reflection_end_form.html", context)
