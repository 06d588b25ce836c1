"""What each escalation's summary code means, in the reader's language.

An escalation stores a stable summary code (``removals.suspicion_on_manifest``); people read the
label below, never the code. A code without a label (a new one, or an old row) falls back to
the label of the escalation's kind. ``tests`` check that every code the services raise has one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SUMMARIES: dict[str, Promise] = {
    "removals.suspicion_on_manifest": _(
        "A suspicion of trafficking was recorded for a person already on this removal "
        "operation. The removal hold it placed stops their removal: take them off the manifest."
    ),
    "removals.hold_on_manifest": _(
        "A removal hold was placed on a person already on this removal operation: take them off "
        "the manifest."
    ),
    "removals.held_person_on_manifest": _(
        "A person on this removal operation is under a removal hold (on their own record, a "
        "linked record or a likely duplicate): take them off the manifest."
    ),
    "removals.child_not_screened_on_manifest": _(
        "A child or a person whose age is disputed is on this confirmed removal operation without "
        "a screening: screen them before departure."
    ),
    "hold.released": _("A removal hold was released by a recorded decision."),
    "hold.released_four_eyes": _(
        "A removal hold was released by two case officers together, after every track was "
        "withdrawn."
    ),
    "identity.confirmed_different": _(
        "A likely duplicate of a held person was confirmed to be another person."
    ),
    "deadline.provider_response.overdue": _(
        "The service provider did not accept or decline the referral in time."
    ),
    "deadline.police_response.overdue": _("The police did not acknowledge the referral in time."),
    "deadline.hold_confirmation.overdue": _(
        "The Border Guard did not confirm a new removal hold the same working day."
    ),
    "deadline.siva_decision.overdue": _("SIVA did not decide on the services in time."),
    "deadline.reflection_day_25.overdue": _("Day 25 of the reflection period passed."),
    "deadline.reflection_end.overdue": _("The reflection period ended."),
    "deadline.rehabilitation_end.overdue": _("The social rehabilitation period ended."),
    "deadline.victim_step_reminder.overdue": _(
        "After recognition: the last day to turn to the investigator is tomorrow."
    ),
    "deadline.victim_step.overdue": _(
        "After recognition: the three days to turn to the investigator passed."
    ),
    "monitoring.trafficking_signs_on_manifest": _(
        "A monitor recorded signs of trafficking about a person on this removal operation; the "
        "screening rules advise an interview before departure or a referral. The escort leader "
        "was told."
    ),
    "deadline.recommendation_response.overdue": _(
        "A monitoring recommendation was not answered in time."
    ),
    "monitoring.notice_late": _(
        "The Border Guard informed the Ombudsman's Office of a removal operation later than the "
        "required notice period, so the operation could not be prepared for monitoring in time."
    ),
}


def summary_label(code: str, kind_label: str) -> str:
    """The summary in the active language; the kind's label if the code has none."""
    label = SUMMARIES.get(code)
    return str(label) if label is not None else kind_label


# How an escalation closed by itself (its cause went away): ``Escalation.resolution_code``. The
# code is stored and the text rendered in the reader's language; an escalation the Ombudsman's
# monitor closed keeps their own written note instead.
RESOLUTIONS: dict[str, Promise] = {
    "removed_from_manifest": _("Resolved automatically: the person was taken off the manifest."),
    "hold_released": _(
        "Resolved automatically: the removal hold was released by a recorded decision."
    ),
    "operation_closed": _("Resolved automatically: the operation was cancelled or ended."),
    "child_screened": _("Resolved automatically: the child was screened with the child profile."),
}


def resolution_label(code: str) -> str:
    """How the escalation was resolved, in the active language ("" for no code)."""
    label = RESOLUTIONS.get(code)
    return str(label) if label is not None else code
