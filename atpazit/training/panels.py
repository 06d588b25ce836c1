"""The training dashboard panel: where the trainee stands in the course (and, for a trainer,
how many trainees of the organisation have their certificate). Marked as training."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.lib.registry import Panel
from atpazit.training import selectors


def training_panel(actor: Actor) -> Panel | None:
    """The panel for those who take the course; None for every other role."""
    if actor.organisation is None or not actor.can(selectors.PRACTISE):
        return None
    progress = selectors.progress_of(actor.user, actor.organisation)
    open_attempts = list(
        selectors.attempts_visible_to(actor).filter(completed_at__isnull=True).exclude(module="")
    )
    lang = (get_language() or "lv").split("-")[0]
    shown = []
    for attempt in open_attempts[:5]:
        try:
            scenario = selectors.attempt_scenario(attempt)
        except Http404:
            continue
        shown.append({"pk": attempt.pk, "title": scenario.title.in_language(lang)})
    context: dict[str, object] = {
        "progress": progress,
        "open_attempts": shown,
        "open_count": len(open_attempts),
    }
    if actor.can(selectors.COHORT):
        cohort = selectors.cohort_of(actor)
        context["trainees"] = len(cohort.trainees)
        context["certified"] = sum(1 for row in cohort.trainees if row.progress.certificate)
    return Panel(_("Training (invented scenarios)"), "training/panels/training.html", context)
