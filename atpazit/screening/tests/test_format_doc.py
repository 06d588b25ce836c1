"""docs/screening-format.md shows what the code does: its worked example and its batch example
are run through the real command against the shipped catalogue."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from django.core.management import call_command

DOC = Path(__file__).resolve().parents[3] / "docs" / "screening-format.md"


def generated_block(name: str) -> str:
    """The fenced code block between the BEGIN/END markers ``name`` in the document."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        rf"<!-- BEGIN {name} -->\n```\w*\n(.*?)\n```\n<!-- END {name} -->", text, re.S
    )
    assert match, f"docs/screening-format.md has no generated block {name!r}"
    return match.group(1)


def evaluate_cli(*args: str, stdin: str) -> str:
    out = io.StringIO()
    call_command("screening", "evaluate", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_the_worked_example_output_is_exactly_what_the_command_prints():
    request = generated_block("example-input")

    printed = evaluate_cli("--lang", "en", stdin=request)

    assert printed.rstrip("\n") == generated_block("example-output"), (
        "the worked example in docs/screening-format.md is stale: regenerate its output with "
        "`atpazit screening evaluate --lang en` on its input"
    )


def test_the_worked_example_says_what_the_text_claims():
    output = json.loads(generated_block("example-output"))

    assert output["recommendation"] == "refer_for_identification"
    assert output["fired_rules"] == ["R2", "R3"]
    assert output["third_party_only"] == ["CD-02"]
    assert output["rests_on_third_party"] is False
    positive = [name for name, result in output["dimensions"].items() if result["positive"]]
    assert positive == [
        "deceptive_recruitment",
        "exploitative_conditions",
        "coercion_at_destination",
    ]


def test_the_batch_example_gives_what_the_text_says():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Batch: JSON Lines", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]

    lines = evaluate_cli("--batch", stdin=section).splitlines()

    results = [json.loads(line) for line in lines]
    assert [(r["ref"], r["recommendation"]) for r in results] == [
        ("A-1", "no_action"),
        ("A-2", "child_protection_referral"),
    ]
