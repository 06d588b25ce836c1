"""The quality of identity matching on a generated set (docs/identity-matching.md).

Not a timed test: it pins what the matcher finds on a fixed-seed set of invented persons with
realistic second registrations (transliterations, swapped names, typos, missing birth day...)
and hard negatives (siblings, namesakes). ``bench/identity_quality.py`` prints the same figures
and the pairs behind them.
"""

from __future__ import annotations

from atpazit.cases.identity_eval import evaluate, generated_set


def test_recall_and_precision_on_the_generated_set():
    quality = evaluate(generated_set(seed=8, persons=3000))

    assert quality.true_pairs > 1400
    assert quality.recall >= 0.98
    assert quality.precision >= 0.9


def test_every_kind_of_variant_occurs_in_the_set():
    records = generated_set(seed=8, persons=3000)
    variants = {change for record in records for change in record.variants}

    assert {
        "swap",
        "typo",
        "no_day",
        "zero_width",
        "latvian",
        "alias",
        "year_off",
        "translit0",
        "translit2",
        "translit3",
        "spelling",
    } <= variants
