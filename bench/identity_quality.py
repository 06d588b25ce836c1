"""Precision and recall of identity matching on a generated set (docs/identity-matching.md).

    .venv/bin/python bench/identity_quality.py --persons 3000 --seed 8 [--show 10]

Invents persons with realistic second registrations (``atpazit.cases.identity_eval``) and
prints how many true pairs the matcher found (recall), how many of its likely matches are true
(precision), and, with ``--show``, the missed and wrong pairs with what changed. It measures;
it never fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atpazit.settings_test")
    import django

    django.setup()
    from atpazit.cases.identity_eval import evaluate, generated_set

    started = time.perf_counter()
    records = generated_set(seed=args.seed, persons=args.persons)
    quality = evaluate(records)
    elapsed = time.perf_counter() - started
    print(
        f"records {quality.records}, true pairs {quality.true_pairs}, "
        f"likely pairs found {quality.found_pairs}, correct {quality.correct_pairs}"
    )
    print(f"recall {quality.recall:.4f}  precision {quality.precision:.4f}  ({elapsed:.1f} s)")
    missed = Counter(change for _a, b in quality.missed for change in b.variants)
    print("variants among missed pairs:", dict(missed.most_common()))
    for title, pairs in (("missed", quality.missed), ("wrong", quality.wrong)):
        for a, b in pairs[: args.show]:
            print(
                f"{title}: {a.given_names} {a.family_name} {a.birth_year} {a.date_of_birth} "
                f"{a.sex} {a.nationality} | {b.given_names!r} {b.family_name!r} "
                f"{b.birth_year} {b.date_of_birth} {b.sex} {b.nationality} {b.variants}"
            )


if __name__ == "__main__":
    main()
