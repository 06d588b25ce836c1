"""The author's correction of an observation (issue 12 item 3; I8).

Views parse input, call a selector or a service and render. The observation comes through
``selectors.get_observation_for_user`` (404 outside the Office; its read audited on every
request, since a refused POST shows the text again).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import add_service_error
from atpazit.monitoring import selectors, services
from atpazit.monitoring.forms import ObservationEditForm


@requires(selectors.RECORD)
@require_http_methods(["GET", "POST"])
def observation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    observation = selectors.get_observation_for_user(actor, pk, shown=True)
    if observation.recorded_by_id != actor.user.pk:
        raise Http404
    form = ObservationEditForm(
        request.POST or None, initial=ObservationEditForm.initial_for(observation)
    )
    saved_now = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_observation(
                actor=actor,
                observation=observation,
                version=data["version"],
                category=data["category"],
                severity=data["severity"],
                text=data["text"],
                observed_at=data["observed_at"],
            )
        except services.ObservationChanged as exc:
            # Your input again, now based on the saved version: saving it is a conscious choice.
            saved_now = exc.current
            post = request.POST.copy()
            post["version"] = str(exc.current.version)
            form = ObservationEditForm(post)
            form.is_valid()
            form.add_error(None, exc.message)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The observation is corrected; what it said before is kept.")
            )
            return redirect(
                "monitoring:stage", pk=observation.mission_id, stage=observation.stage.stage
            )
    return render(
        request,
        "monitoring/observation_edit.html",
        {
            "form": form,
            "observation": observation,
            "mission": observation.mission,
            "saved_now": saved_now,
            "revisions": selectors.revisions_of(observation),
            "editable": selectors.observation_editable(actor, observation),
        },
        status=400 if request.method == "POST" else 200,
    )
