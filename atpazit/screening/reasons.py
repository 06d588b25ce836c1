"""Structured reasons of an assessment, and their rendering in lv, en or ru.

The engine records a reason as a code plus parameters (dimension codes, indicator codes, counts),
never as text, so a stored assessment can be shown in any language and re-rendered exactly later.
The English templates below are the gettext source strings; ``render_reason`` translates them
with the app's .po files. Rendering needs Django settings (translation); building reasons does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext

from .catalogue import LANGUAGES, AgeGroup, Dimension, Form, Stage

ParamValue = str | int | tuple[str, ...]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for makemessages and return it unchanged.

    Django's own ``gettext_noop`` reads settings.USE_I18N, so importing this module (and the
    engine) would need configured settings; this one keeps the engine importable anywhere.
    """
    return message


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the engine concluded something: a reason code and its parameters (sorted by name)."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    @classmethod
    def of(cls, code: str, **params: ParamValue) -> Reason:
        """Build a reason; parameters are stored sorted so equal reasons compare equal."""
        return cls(code, tuple(sorted(params.items())))

    @property
    def params_dict(self) -> dict[str, ParamValue]:
        """The parameters as a dict."""
        return dict(self.params)


# Reason codes. Rule reasons come first in an assessment, then the facts that support them.
RULE_R1 = "rule.R1"
RULE_R2 = "rule.R2"
RULE_R2_COERCION = "rule.R2.coercion_dimension"
RULE_R3 = "rule.R3"
RULE_R4 = "rule.R4"
RULE_R5 = "rule.R5"
RULE_R6 = "rule.R6"
RULE_R7 = "rule.R7"
CHILD_BY_AGE = "child.age"
CHILD_BY_DISPUTED_AGE = "child.age_disputed"
CHILD_BY_PROFILE = "child.profile_chosen"
AGE_GROUP_FROM_FACTS = "profile.age_group_from_facts"
DIMENSION_POSITIVE = "dimension.positive"
SAME_FACT = "dimension.same_fact_counted_once"
PATTERN_ADULT_TRAFFICKING = "pattern.consistent_with_trafficking.adult"
PATTERN_CHILD_TRAFFICKING = "pattern.consistent_with_trafficking.child"
PATTERN_DECEPTION_EXPLOITATION = "pattern.deception_and_exploitation"
PATTERN_EXPLOITED_MIGRANT = "pattern.exploited_migrant"
PATTERN_INSUFFICIENT = "pattern.insufficient"
THIRD_PARTY_ONLY = "evidence.third_party_only"
RESTS_ON_THIRD_PARTY = "evidence.recommendation_rests_on_third_party"
CHILD_SIGN_FOR_ADULT = "check.child_sign_for_adult"
NON_PUNISHMENT = "flag.non_punishment"

MESSAGES: Mapping[str, str] = {
    RULE_R1: gettext_noop(
        "R1: a child (under 18 or of disputed age) with trafficking indicators (%(indicators)s): "
        "make a child-protection referral and refer for identification. For a child the means "
        "are not required."
    ),
    RULE_R2: gettext_noop(
        "R2: strong indicator of deception or coercion (%(indicators)s): refer for identification."
    ),
    RULE_R2_COERCION: gettext_noop(
        "R2: the coercion dimension %(dimension)s is positive by the ILO count (%(indicators)s): "
        "refer for identification, whether or not exploitation has been found yet."
    ),
    RULE_R7: gettext_noop(
        "R7: indicators (%(indicators)s) at %(stage)s, where no later screening stage exists: "
        "interview the person now, before departure, closely and with an interpreter, and call a "
        "provider of support to victims of trafficking. Ask the case officer to defer the "
        "departure until this is done."
    ),
    RULE_R3: gettext_noop(
        "R3: exploitation together with means (%(means)s): refer for identification."
    ),
    RULE_R4: gettext_noop(
        "R4: exploitation indicators (%(indicators)s), but not enough for R1 to R3: inform the "
        "State Labour Inspectorate and re-screen at the next stage."
    ),
    RULE_R5: gettext_noop(
        "R5: indicators other than exploitation (%(indicators)s): re-screen at the next stage, "
        "with a closer interview."
    ),
    RULE_R6: gettext_noop(
        "R6: no indicators recorded: no action. The screening is still recorded."
    ),
    CHILD_BY_AGE: gettext_noop("Treated as a child: the age given, %(age)s, is under 18."),
    CHILD_BY_DISPUTED_AGE: gettext_noop(
        "Treated as a child: the age is disputed (presumption of minority)."
    ),
    CHILD_BY_PROFILE: gettext_noop(
        "Treated as a child: the child profile was chosen, although the age given is %(age)s. "
        "If the age is in doubt, record it as disputed."
    ),
    AGE_GROUP_FROM_FACTS: gettext_noop(
        "The person's age decides the profile: %(effective)s, not %(requested)s as requested."
    ),
    SAME_FACT: gettext_noop(
        "In %(dimension)s, %(indicators)s describe a fact already counted under a related code: "
        "one fact is counted once, at its strongest."
    ),
    DIMENSION_POSITIVE: gettext_noop(
        "Dimension positive: %(dimension)s (strong: %(strong)s, medium: %(medium)s, "
        "weak: %(weak)s; indicators: %(indicators)s)."
    ),
    PATTERN_ADULT_TRAFFICKING: gettext_noop(
        "ILO pattern for an adult: recruitment, exploitation and coercion or abuse of "
        "vulnerability at destination are all positive. This is consistent with trafficking; "
        "it is information, not an identification."
    ),
    PATTERN_CHILD_TRAFFICKING: gettext_noop(
        "ILO pattern for a child: the act (recruitment or movement) and exploitation are "
        "positive. This is consistent with trafficking; it is information, not an identification."
    ),
    PATTERN_DECEPTION_EXPLOITATION: gettext_noop(
        "Pattern: exploitation together with %(dimensions)s, but not the full ILO pattern."
    ),
    PATTERN_EXPLOITED_MIGRANT: gettext_noop(
        "Pattern: exploitation without any other positive dimension: on what is known now, an "
        "exploited migrant (a labour-rights case)."
    ),
    PATTERN_INSUFFICIENT: gettext_noop(
        "Pattern: the full ILO pattern is not (yet) met, because the exploitation dimension is "
        "not positive. This is information only: it does not mean the person is not a victim, "
        "and it never stands in the way of the recommendation."
    ),
    THIRD_PARTY_ONLY: gettext_noop(
        "Indicator %(indicator)s rests only on what a third party said: it counts in full, but "
        "try to corroborate it at the next contact."
    ),
    RESTS_ON_THIRD_PARTY: gettext_noop(
        "Without the third-party-only indicators the recommendation would be: %(without)s. "
        "Corroborate them, but do not delay the referral."
    ),
    CHILD_SIGN_FOR_ADULT: gettext_noop(
        "Child-specific signs (%(indicators)s) were recorded for a person treated as an adult: "
        "check the age, and if in doubt record it as disputed."
    ),
    NON_PUNISHMENT: gettext_noop(
        "The person is suspected of an offence and there are signs of forced criminality "
        "(%(indicators)s): tell the person directing the proceedings about the non-punishment "
        "principle."
    ),
}

DIMENSION_LABELS: Mapping[str, str] = {
    Dimension.DECEPTIVE_RECRUITMENT: gettext_noop("deceptive recruitment"),
    Dimension.COERCIVE_RECRUITMENT: gettext_noop("coercive recruitment"),
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY: gettext_noop(
        "recruitment by abuse of vulnerability"
    ),
    Dimension.EXPLOITATIVE_CONDITIONS: gettext_noop("exploitative conditions"),
    Dimension.COERCION_AT_DESTINATION: gettext_noop("coercion at destination"),
    Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION: gettext_noop(
        "abuse of vulnerability at destination"
    ),
    Dimension.RETURN_CONTEXT: gettext_noop("signs of control in the return context"),
    Dimension.CHILD_SPECIFIC: gettext_noop("child-specific signs"),
}

RECOMMENDATION_LABELS: Mapping[str, str] = {
    "child_protection_referral": gettext_noop(
        "child-protection referral and referral for identification"
    ),
    "refer_for_identification": gettext_noop("refer for identification"),
    "interview_before_departure": gettext_noop(
        "interview now, before departure, and call a provider"
    ),
    "labour_inspectorate_and_rescreen": gettext_noop(
        "inform the State Labour Inspectorate and re-screen at the next stage"
    ),
    "rescreen_next_stage": gettext_noop("re-screen at the next stage, with a closer interview"),
    "no_action": gettext_noop("no action"),
}

PATTERN_LABELS: Mapping[str, str] = {
    "consistent_with_trafficking": gettext_noop("consistent with trafficking"),
    "deception_and_exploitation": gettext_noop("deception and exploitation"),
    "exploited_migrant": gettext_noop("exploited migrant"),
    # The stored value stays "insufficient"; it is never shown as that word (DESIGN.md §5).
    "insufficient": gettext_noop("the full ILO pattern is not (yet) met"),
}

AGE_GROUP_LABELS: Mapping[str, str] = {
    AgeGroup.ADULT: gettext_noop("adult"),
    AgeGroup.CHILD: gettext_noop("child"),
}

FORM_LABELS: Mapping[str, str] = {
    Form.LABOUR: gettext_noop("labour exploitation"),
    Form.SEXUAL: gettext_noop("sexual exploitation"),
    Form.CRIMINALITY: gettext_noop("forced criminality"),
    Form.BEGGING: gettext_noop("forced begging"),
    Form.DOMESTIC_SERVITUDE: gettext_noop("domestic servitude"),
    Form.SHAM_MARRIAGE: gettext_noop("sham marriage"),
    Form.FORCED_MARRIAGE: gettext_noop("forced marriage"),
    Form.ILLEGAL_ADOPTION: gettext_noop("illegal adoption"),
    Form.ORGAN_REMOVAL: gettext_noop("removal of organs"),
    Form.UNKNOWN: gettext_noop("unknown or several"),
}

EVIDENCE_SOURCE_LABELS: Mapping[str, str] = {
    "observed": gettext_noop("observed"),
    "said_by_person": gettext_noop("said by the person"),
    "third_party": gettext_noop("third party"),
    "official_record": gettext_noop("official record (police or inspection report)"),
}

STAGE_LABELS: Mapping[str, str] = {
    Stage.DETENTION_INTAKE: gettext_noop("detention intake"),
    Stage.PRE_RETURN_INTERVIEW: gettext_noop("pre-return interview"),
    Stage.PRE_DEPARTURE: gettext_noop("pre-departure"),
    Stage.TRANSFER: gettext_noop("transfer"),
    Stage.IN_FLIGHT: gettext_noop("in flight or in transit"),
    Stage.HANDOVER: gettext_noop("hand-over"),
    Stage.OTHER: gettext_noop("other contact"),
}

# Which label table translates each parameter; the rest are shown as they are (codes, numbers).
_PARAM_LABELS: Mapping[str, Mapping[str, str]] = {
    "dimension": DIMENSION_LABELS,
    "dimensions": DIMENSION_LABELS,
    "means": DIMENSION_LABELS,
    "without": RECOMMENDATION_LABELS,
    "effective": AGE_GROUP_LABELS,
    "requested": AGE_GROUP_LABELS,
    "stage": STAGE_LABELS,
}


def label(table: Mapping[str, str], code: str, lang: str) -> str:
    """Translate the label of ``code`` from one of the label tables into ``lang``."""
    _check_language(lang)
    with translation.override(lang):
        return gettext(table[code])


def render_reason(reason: Reason, lang: str) -> str:
    """Render ``reason`` as a sentence in ``lang`` (lv, en or ru).

    Needs configured Django settings with this app installed (its locale directory).
    Raises ValueError for another language and KeyError for an unknown reason code.
    """
    return render_reasons((reason,), lang)[0]


def render_reasons(reasons: Iterable[Reason], lang: str) -> list[str]:
    """Render several reasons in ``lang`` under one language switch (a batch renders many)."""
    _check_language(lang)
    with translation.override(lang):
        return [_render(reason) for reason in reasons]


def _render(reason: Reason) -> str:
    values = {name: _render_value(name, value) for name, value in reason.params}
    return gettext(MESSAGES[reason.code]) % values


def _render_value(name: str, value: ParamValue) -> str:
    table = _PARAM_LABELS.get(name)
    items = value if isinstance(value, tuple) else (value,)
    if table is None:
        return ", ".join(str(item) for item in items)
    return ", ".join(gettext(table[str(item)]) for item in items)


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
