"""The reader's words for the codes the selectors return (dimensions, categories, measures)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from atpazit.cases.geo import country_name
from atpazit.cases.models import Hold, Sex
from atpazit.deadlines.rules import Kind as DeadlineKind
from atpazit.referrals.models import Referral
from atpazit.screening.models import Decision
from atpazit.screening.reasons import FORM_LABELS, RECOMMENDATION_LABELS, STAGE_LABELS
from atpazit.stats import disclosure

MEASURES = {
    "persons_screened": gettext_lazy("Persons screened"),
    "screenings": gettext_lazy("Screenings completed"),
    "indicators": gettext_lazy("Indicators observed most often"),
    "suspicions": gettext_lazy("Suspicions of trafficking raised"),
    "holds": gettext_lazy("Removal holds placed"),
    "overdue": gettext_lazy("Deadlines overdue now"),
}

DIMENSIONS = {
    "sex": gettext_lazy("by sex"),
    "age_band": gettext_lazy("by age band"),
    "citizenship": gettext_lazy("by citizenship"),
    "nationality": gettext_lazy("by nationality"),
    "stage": gettext_lazy("by stage of the removal"),
    "organisation": gettext_lazy("by organisation"),
    "indicator": gettext_lazy("by indicator"),
    "child_path": gettext_lazy("children and adults"),
    "cause": gettext_lazy("by cause"),
    "form": gettext_lazy("by form of exploitation"),
    "deadline": gettext_lazy("by kind of deadline"),
}

DURATIONS = {
    "screening_to_referral": gettext_lazy("From the first screening to the first referral"),
    "referral_to_decision": gettext_lazy("From a referral to the decision on recognition"),
    "hold_duration": gettext_lazy("How long removal holds lasted (released holds)"),
}

CITIZENSHIP = {
    disclosure.CITIZENSHIP_NATIONAL: gettext_lazy("Latvian citizens"),
    disclosure.CITIZENSHIP_OTHER_EU: gettext_lazy("citizens of another EU member state"),
    disclosure.CITIZENSHIP_NON_EU: gettext_lazy("citizens of a country outside the EU"),
    disclosure.CITIZENSHIP_UNKNOWN: pgettext_lazy("citizenship", "not known"),
}


def _choice(choices: Iterable[tuple[str, object]]) -> Callable[[str], str]:
    return lambda code: str(dict(choices).get(code, code))


def _noop_table(table: Mapping[str, str]) -> Callable[[str], str]:
    return lambda code: _(table[code]) if code in table else code


# dimension -> the label of one of its codes, in the active language.
_CATEGORY: dict[str, Callable[[str], str]] = {
    "sex": _choice(Sex.choices),
    "age_band": lambda code: _("age not known") if code == disclosure.AGE_UNKNOWN else code,
    "citizenship": lambda code: str(CITIZENSHIP.get(code, code)),
    "nationality": lambda code: country_name(code) if code else _("not known"),
    "stage": _noop_table(STAGE_LABELS),
    "form": _noop_table(FORM_LABELS),
    "recommendation": _noop_table(RECOMMENDATION_LABELS),
    "decision": _choice(Decision.choices),
    "cause": _choice(Hold.Cause.choices),
    "child_path": lambda code: (
        _("children (child-protection path)") if code == "child" else _("adults")
    ),
    "track": _choice(Referral.Track.choices),
    "status": _choice(Referral.Status.choices),
    "deadline": _choice(DeadlineKind.choices),
    "monitoring": lambda code: _("monitored") if code == "monitored" else _("not monitored"),
    "indicator": lambda code: _("other indicators") if code == "other" else code,
}


def category(dimension: str, code: str, organisations: dict[str, str] | None = None) -> str:
    """The label of one category of a dimension, in the active language."""
    if code == "all":
        return pgettext("statistics", "all")
    if dimension == "organisation":
        return (organisations or {}).get(code, _("organisation %(id)s") % {"id": code})
    label = _CATEGORY.get(dimension)
    return label(code) if label else code
