"""The retention report for the data protection officer and the system administrator: the
schedule in force, the last purge runs, and legal holds (placed and lifted here)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.forms import submitted
from atpazit.retention import schedule, services
from atpazit.retention.forms import LegalHoldForm, LegalHoldLiftForm
from atpazit.retention.liveness import REASONS
from atpazit.retention.selectors import (
    LIFT_PERMISSION,
    MANAGE_PERMISSION,
    get_legal_hold_for_user,
    legal_holds_visible_to,
    runs_visible_to,
)

RUNS_SHOWN = 20


@requires("retention.report:read")
def report_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    runs = list(runs_visible_to(actor)[:RUNS_SHOWN])
    for run in runs:
        run.kept_shown = [  # type: ignore[attr-defined]
            (REASONS.get(code, code), count) for code, count in sorted(run.kept.items())
        ]
        run.counts_shown = [  # type: ignore[attr-defined]
            (record.name, run.counts.get(record.code, 0))
            for record in schedule.SCHEDULE
            if record.code in run.counts
        ]
    context = {
        "schedule": schedule.SCHEDULE,
        "actions": schedule.ACTIONS,
        "runs": runs,
        "legal_holds": legal_holds_visible_to(actor).filter(lifted_at__isnull=True),
        "can_manage": actor.can(MANAGE_PERMISSION),
        "can_lift": actor.can(LIFT_PERMISSION),
    }
    return render(request, "retention/report.html", context)


@requires(MANAGE_PERMISSION)
@require_http_methods(["GET", "POST"])
def legal_hold_place_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = LegalHoldForm(request.POST or None)
    if submitted(request, form, lambda data: services.place_legal_hold(actor=actor, **data)):
        messages.success(request, _("The legal hold is placed: the case is not purged."))
        return redirect("retention:report")
    return render(request, "retention/legal_hold_place.html", {"form": form})


@requires(LIFT_PERMISSION)
@require_http_methods(["GET", "POST"])
def legal_hold_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    hold = get_legal_hold_for_user(actor, pk)
    form = LegalHoldLiftForm(request.POST or None)
    if submitted(
        request, form, lambda data: services.lift_legal_hold(actor=actor, hold=hold, **data)
    ):
        messages.success(request, _("The legal hold is lifted."))
        return redirect("retention:report")
    return render(request, "retention/legal_hold_lift.html", {"hold": hold, "form": form})
