"""Deadline rules (DESIGN.md §6): defaults here, each overridable through settings.

``ATPAZIT_DEADLINES = {"provider_response": {"working_days": 3}}`` in settings changes one rule;
the sources of the defaults are in shared/docs/domain.md §7.3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.lib.workdays import add_working_days, end_of_working_day


class Kind(models.TextChoices):
    PROVIDER_RESPONSE = "provider_response", _("provider accepts or declines a referral")
    POLICE_RESPONSE = "police_response", _("police acknowledge a referral")
    HOLD_CONFIRMATION = "hold_confirmation", _("Border Guard confirms a new removal hold")
    SIVA_DECISION = "siva_decision", _("SIVA service decision")
    REFLECTION_DAY_25 = "reflection_day_25", _("reflection period: day 25")
    REFLECTION_END = "reflection_end", _("reflection period ends")
    REHABILITATION_END = "rehabilitation_end", _("social rehabilitation ends (180 days)")
    # Law on the Residence of a Victim of THB s.4(1): within 3 days of victim status the person
    # turns to the investigating institution or the person directing the proceedings.
    VICTIM_STEP_REMINDER = (
        "victim_step_reminder",
        _("after recognition: turning to the investigator, last day tomorrow"),
    )
    VICTIM_STEP = (
        "victim_step",
        _("after recognition: the person turns to the investigator (3 days)"),
    )
    RECOMMENDATION_RESPONSE = (
        "recommendation_response",
        _("response to a monitoring recommendation"),
    )


@dataclass(frozen=True)
class Rule:
    """How long a duty may take. A rule with neither length is a reminder whose moment the
    owning app computes from its own setting and passes as ``open_deadline(..., due_at=)``."""

    working_days: int | None = None  # counted in Latvian working days, due at close of business
    calendar_days: int | None = None  # counted in calendar days from the start moment
    escalate: bool = True  # overdue -> escalation to the Ombudsman; else only a reminder
    # Whether its case number is a person's (found by the case search); a recommendation's
    # response deadline carries "R-<n>", so its escalation links to the deadline's own page.
    about_a_person: bool = True

    @property
    def has_length(self) -> bool:
        return self.working_days is not None or self.calendar_days is not None


DEFAULT_RULES: dict[str, Rule] = {
    Kind.PROVIDER_RESPONSE: Rule(working_days=2),
    Kind.POLICE_RESPONSE: Rule(working_days=2),
    Kind.HOLD_CONFIRMATION: Rule(working_days=0),
    Kind.SIVA_DECISION: Rule(working_days=3),
    # The reflection period's length is ATPAZIT_REFLECTION_DAYS, set once (reflection): its
    # reminders are opened with due_at= (5 days before, and on, the last day), not counted here.
    Kind.REFLECTION_DAY_25: Rule(escalate=False),
    Kind.REFLECTION_END: Rule(escalate=False),
    Kind.REHABILITATION_END: Rule(calendar_days=180, escalate=False),
    # The person's step, not an institution's duty: reminders to the provider who helps them,
    # never an escalation.
    Kind.VICTIM_STEP_REMINDER: Rule(calendar_days=2, escalate=False),
    Kind.VICTIM_STEP: Rule(calendar_days=3, escalate=False),
    Kind.RECOMMENDATION_RESPONSE: Rule(calendar_days=30, about_a_person=False),
}


def rule_for(kind: str) -> Rule:
    overrides = getattr(settings, "ATPAZIT_DEADLINES", {}).get(kind, {})
    return replace(DEFAULT_RULES[kind], **overrides)


def due_at(kind: str, start: dt.datetime) -> dt.datetime:
    """When a deadline of ``kind`` that starts at ``start`` falls due. ValueError for a kind
    whose moment its app sets (a rule with no length): open it with ``due_at=``."""
    rule = rule_for(kind)
    if not rule.has_length:
        raise ValueError(f"a {kind} deadline has no rule of length: open it with due_at=")
    if rule.calendar_days is not None:
        return start + dt.timedelta(days=rule.calendar_days)
    local = start.astimezone(end_of_working_day(start.date()).tzinfo)
    day = local.date()
    if local >= end_of_working_day(day):
        day += dt.timedelta(days=1)  # started after closing time: the clock starts tomorrow
    return end_of_working_day(add_working_days(day, rule.working_days or 0))
