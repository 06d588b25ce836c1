"""Signs of trafficking a monitor records on the spot (issue 12 item 9).

An observation of the category "signs of trafficking" about a person may carry indicator codes
of the current screening catalogue (``screening.catalogue.latest_catalogue``: its list and its
labels, never a copy). The screening engine's rules are evaluated on them, as observed by the
monitor at the mission's stage; when the advice is a closer interview before departure (R7) or a
referral (R1-R3), the escort leader must be told at once (``services.record_observation``).

The monitor's tick is not a screening: nothing here records a screening session or a decision
(I2, people decide). It only makes sure the people who can still act before departure know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from atpazit.cases.models import Person
from atpazit.monitoring.models import Stage
from atpazit.screening import engine
from atpazit.screening.catalogue import AgeGroup, Form, Profile, latest_catalogue
from atpazit.screening.catalogue import Stage as ScreeningStage
from atpazit.screening.services import person_facts

# The screening stage a monitoring stage corresponds to (screening.catalogue.Stage).
SCREENING_STAGE: dict[str, str] = {
    Stage.PRE_RETURN: ScreeningStage.PRE_RETURN_INTERVIEW,
    Stage.PRE_DEPARTURE: ScreeningStage.PRE_DEPARTURE,
    Stage.TRANSFER: ScreeningStage.TRANSFER,
    Stage.BOARDING: ScreeningStage.PRE_DEPARTURE,
    Stage.IN_FLIGHT: ScreeningStage.IN_FLIGHT,
    Stage.STOPOVER: ScreeningStage.IN_FLIGHT,
    Stage.HANDOVER: ScreeningStage.HANDOVER,
    Stage.POST_RETURN: ScreeningStage.OTHER,
}

# The advice that cannot wait for the mission's report: someone must act before departure.
ALERTING = frozenset(
    {
        engine.Recommendation.INTERVIEW_BEFORE_DEPARTURE,
        engine.Recommendation.REFER_FOR_IDENTIFICATION,
        engine.Recommendation.CHILD_PROTECTION_REFERRAL,
    }
)


@dataclass(frozen=True)
class Advice:
    """The rules' advice on a monitor's indicators: the catalogue release and its outcome."""

    catalogue_version: str
    recommendation: str

    @property
    def alerts(self) -> bool:
        return self.recommendation in ALERTING


def indicator_choices() -> list[tuple[str, str]]:
    """The current catalogue's indicators, labelled in the active language (lv, en or ru)."""
    language = (get_language() or "lv")[:2]
    language = language if language in ("lv", "en", "ru") else "lv"
    return [
        (indicator.code, f"{indicator.code}: {indicator.text.in_language(language)}")
        for indicator in latest_catalogue()
    ]


def stages_by_code() -> dict[str, tuple[str, ...]]:
    """The stages at which each indicator of the current catalogue can usually be observed."""
    return {
        indicator.code: tuple(stage.value for stage in indicator.stages)
        for indicator in latest_catalogue()
    }


def code_errors(codes: Sequence[str]) -> list[str]:
    """A message per code the current catalogue does not have, naming the code."""
    catalogue = latest_catalogue()
    return [
        _("“%(code)s” is not an indicator of the screening catalogue %(version)s.")
        % {"code": code, "version": catalogue.version}
        for code in codes
        if code not in catalogue
    ]


def advise(*, person: Person, stage: str, codes: Sequence[str]) -> Advice:
    """Evaluate the screening rules on ``codes`` as observed by a monitor at ``stage``: form of
    exploitation unknown (each indicator at its strongest), the age group from the person's
    recorded age (a child or a disputed age takes the child path, I4)."""
    catalogue = latest_catalogue()
    at = ScreeningStage(SCREENING_STAGE[stage])
    assessment = engine.evaluate(
        catalogue,
        Profile(AgeGroup.ADULT, Form.UNKNOWN),
        [engine.Observation(code, engine.EvidenceSource.OBSERVED, at) for code in codes],
        person_facts(person, today=timezone.localdate()),
        stage=at,
    )
    return Advice(catalogue.version, assessment.recommendation.value)
