"""The JSON input and output formats (docs/screening-format.md)."""

from __future__ import annotations

import json

import pytest

from atpazit.screening.catalogue import AgeGroup, Form, Stage
from atpazit.screening.engine import (
    DIMENSIONS,
    EvidenceSource,
    ScreeningInputError,
    assessment_from_dict,
    assessment_to_dict,
    evaluate,
    request_from_dict,
    request_to_dict,
)

from .catalogue_factories import CHILD_LABOUR, assess, ladder_catalogue

REQUEST = {
    "ref": "case-17/intake",
    "catalogue_version": "2026.1",
    "stage": "pre_departure",
    "profile": {"age_group": "adult", "form": "labour"},
    "person": {"age": 34, "age_disputed": False, "suspected_of_offence": False},
    "observations": [
        {"indicator": "DR-01", "source": "said_by_person", "stage": "detention_intake"},
        {"indicator": "EX-03", "source": "third_party", "stage": "pre_departure"},
    ],
}


def test_a_request_reads_and_writes_back_unchanged():
    request = request_from_dict(REQUEST)

    assert request.profile.form is Form.LABOUR
    assert request.person.age == 34
    assert request.observations[1].source is EvidenceSource.THIRD_PARTY
    assert request_to_dict(request) == REQUEST


def test_person_and_ref_are_optional():
    request = request_from_dict(
        {"profile": {"age_group": "child", "form": "begging"}, "observations": []}
    )

    assert request.profile.age_group is AgeGroup.CHILD
    assert (request.ref, request.catalogue_version, request.person.age) == (None, None, None)


def with_changes(**changes):
    data = json.loads(json.dumps(REQUEST))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return data


BAD_REQUESTS = [
    ("missing profile", with_changes(profile=KeyError), "profile", "missing required field"),
    ("missing observations", with_changes(observations=KeyError), "observations", "missing"),
    (
        "unknown form",
        with_changes(profile__form="fishing"),
        "profile.form",
        "unknown value 'fishing'",
    ),
    (
        "unknown age group",
        with_changes(profile__age_group="teen"),
        "profile.age_group",
        "expected one of adult, child",
    ),
    ("age as text", with_changes(person__age="34"), "person.age", "whole number"),
    ("negative age", with_changes(person__age=-3), "person.age", "0-130"),
    (
        "age_disputed not a boolean",
        with_changes(person__age_disputed="yes"),
        "person.age_disputed",
        "true or false",
    ),
    ("observations not a list", with_changes(observations={}), "observations", "JSON list"),
    (
        "unknown source",
        with_changes(observations__1__source="rumour"),
        "observations[1].source",
        "unknown value 'rumour'",
    ),
    (
        "missing stage",
        with_changes(observations__0__stage=KeyError),
        "observations[0].stage",
        "missing required field",
    ),
    (
        "missing indicator",
        with_changes(observations__0__indicator=KeyError),
        "observations[0].indicator",
        "missing required field",
    ),
    (
        "indicator not a string",
        with_changes(observations__0__indicator=7),
        "observations[0].indicator",
        "code string",
    ),
    (
        "a note is not engine input",
        with_changes(observations__0__note="he was afraid"),
        "observations[0].note",
        "notes are not engine input",
    ),
    ("unknown top-level field", with_changes(name="A. Person"), "request.name", "unknown field"),
    ("ref not a string", with_changes(ref=17), "request.ref", "must be a string"),
]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_input_is_refused_naming_the_field(data, field, message):
    with pytest.raises(ScreeningInputError) as caught:
        request_from_dict(data)

    assert caught.value.field == field
    assert message in caught.value.detail


def test_a_request_that_is_not_an_object_is_refused():
    with pytest.raises(ScreeningInputError, match="request: must be a JSON object"):
        request_from_dict([1, 2])


def test_an_indicator_the_catalogue_does_not_have_is_refused_naming_its_position():
    request = request_from_dict(with_changes(observations__1__indicator="ZZ-99"))

    with pytest.raises(ScreeningInputError) as caught:
        evaluate(ladder_catalogue(), request.profile, request.observations, request.person)

    assert caught.value.field == "observations[1].indicator"
    assert "unknown indicator 'ZZ-99' in catalogue 2026.1" in str(caught.value)


def test_the_output_has_a_fixed_shape():
    output = assessment_to_dict(assess("DR-01", "EX-03"), ref="r-1")

    assert list(output) == [
        "ref",
        "catalogue_version",
        "requested_profile",
        "profile",
        "stage",
        "recommendation",
        "fired_rules",
        "pattern",
        "indicators",
        "dimensions",
        "third_party_only",
        "rests_on_third_party",
        "reasons",
    ]
    assert list(output["dimensions"]) == [d.value for d in DIMENSIONS]
    assert output["ref"] == "r-1"
    assert output["recommendation"] == "refer_for_identification"
    assert output["reasons"][0] == {"code": "rule.R2", "params": {"indicators": ["DR-01"]}}


def test_a_stored_assessment_reads_back_equal_even_when_the_database_reorders_keys():
    assessment = assess("DR-01", "DR-03", "EX-01", "EX-02", "RC-03", profile=CHILD_LABOUR)
    stored = json.loads(json.dumps(assessment_to_dict(assessment)))
    # PostgreSQL jsonb orders keys by length, then bytewise; simulate any other order.
    stored["dimensions"] = dict(reversed(list(stored["dimensions"].items())))

    restored = assessment_from_dict(stored)

    assert restored == assessment
    assert restored.dimension(DIMENSIONS[3]) == assessment.dimension(DIMENSIONS[3])


def test_the_output_is_byte_for_byte_stable():
    first = json.dumps(assessment_to_dict(assess("DR-01", "EX-03", "RC-03")))
    second = json.dumps(assessment_to_dict(assess("RC-03", "EX-03", "DR-01")))

    assert first == second


def test_an_assessment_stored_before_release_2026_2_reads_back_without_a_stage():
    stored = json.loads(json.dumps(assessment_to_dict(assess("DR-01"))))
    del stored["stage"]  # assessments stored with release 2026.1 have no stage

    assert assessment_from_dict(stored).stage is None


def test_a_request_may_name_the_stage_of_the_screening():
    request = request_from_dict({**REQUEST, "stage": "handover"})

    assert request.stage is Stage.HANDOVER
