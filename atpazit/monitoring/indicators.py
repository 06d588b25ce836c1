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

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from atpazit.cases.models import Person
from atpazit.monitoring.models import Observation, Stage
from atpazit.removals.hooks import ManifestAlert
from atpazit.screening import engine
from atpazit.screening.catalogue import AgeGroup, Form, Profile, latest_catalogue
from atpazit.screening.catalogue import Stage as ScreeningStage
from atpazit.screening.services import person_facts

if TYPE_CHECKING:
    from atpazit.removals.models import RemovalOperation
    from atpazit.removals.selectors import ManifestRow

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


# --- what the escort leader sees on the operation's pages (removals.hooks) ----------------------

# Most protective first: one alert per person, with the strongest advice any observation gave.
_ADVICE_ORDER = (
    engine.Recommendation.CHILD_PROTECTION_REFERRAL,
    engine.Recommendation.REFER_FOR_IDENTIFICATION,
    engine.Recommendation.INTERVIEW_BEFORE_DEPARTURE,
)


def _advice_texts(recommendation: str) -> tuple[Promise, Promise]:
    """The advice and what the escort leader does about it, as fixed texts."""
    if recommendation == engine.Recommendation.INTERVIEW_BEFORE_DEPARTURE:
        return (
            gettext_lazy("interview now, before departure"),
            gettext_lazy(
                "Do not let the person leave before a closer interview with an interpreter and "
                "a call to a service provider, recorded as a screening in Atpazīt. Ask the case "
                "officer to defer the person's departure until it is done."
            ),
        )
    return (
        gettext_lazy("referral for identification"),
        gettext_lazy(
            "Do not let the person leave: tell the case officer at once. Raise a suspicion of "
            "trafficking (it places a removal hold), or record a screening with your decision, "
            "before departure."
        ),
    )


def manifest_alerts(
    operation: RemovalOperation, rows: Sequence[ManifestRow]
) -> list[ManifestAlert]:
    """Registered in ``removals.hooks``: each person on the manifest about whom a monitor saw
    signs of trafficking on which the rules advise an interview before departure or a referral
    (``Observation.recommendation``), until it is acted on. It clears by itself, as removals'
    interview advice does: when a screening of the person is decided after the observation (the
    closer interview), when a hold blocks the person (a suspicion was raised: the blocking
    conflict says more), or when the person is taken off the manifest. Case numbers and fixed
    texts only: never the monitor's words (the Border Guard does not read observations)."""
    open_rows = {row.person.pk: row for row in rows if not row.is_held}
    if not open_rows:
        return []
    observations = (
        Observation.objects.filter(
            mission__operation=operation,
            person_id__in=list(open_rows),
            recommendation__in=[advice.value for advice in ALERTING],
        )
        .order_by("recorded_at", "pk")
        .values_list("person_id", "recommendation", "recorded_at")
    )
    strongest: dict[int, tuple[str, datetime.datetime]] = {}
    for person_id, recommendation, recorded_at in observations:
        latest = getattr(open_rows[person_id].person, "latest_screening", None)
        if latest is not None and latest.completed_at >= recorded_at:
            continue  # screened after the monitor's observation: acted on
        kept = strongest.get(person_id)
        rank = _ADVICE_ORDER.index(engine.Recommendation(recommendation))
        if kept is None or rank < _ADVICE_ORDER.index(engine.Recommendation(kept[0])):
            strongest[person_id] = (recommendation, kept[1] if kept else recorded_at)
    alerts = []
    for person_id, (recommendation, since) in strongest.items():
        advice, action = _advice_texts(recommendation)
        alerts.append(
            ManifestAlert(
                person_id=person_id,
                case_number=open_rows[person_id].person.case_number,
                title=gettext_lazy("A monitor saw signs of trafficking"),
                advice=advice,
                action=action,
                raised_at=since,
            )
        )
    return alerts
