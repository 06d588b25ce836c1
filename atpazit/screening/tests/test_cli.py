"""``atpazit screening``: evaluate (single and --batch), catalogue, diff.

Bad input is refused as a whole: the error names the line and the field, the exit status is
non-zero and nothing is written to standard output. No database is touched."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from atpazit.screening.catalogue import latest_catalogue
from atpazit.screening.engine import (
    assessment_to_dict,
    evaluate,
    request_from_dict,
)

from .catalogue_factories import catalogue_data, indicator_data, ladder_catalogue, write_catalogue

ROOT = Path(__file__).resolve().parents[3]

REQUEST = {
    "ref": "intake-1",
    "profile": {"age_group": "adult", "form": "labour"},
    "person": {"age": 31},
    "observations": [
        {"indicator": "DR-01", "source": "said_by_person", "stage": "detention_intake"},
        {"indicator": "EX-03", "source": "third_party", "stage": "detention_intake"},
    ],
}


@pytest.fixture
def shipped(shipped_dir):
    """The ladder catalogue shipped as 2026.1."""
    write_catalogue(shipped_dir, catalogue_data("2026.1"))
    return shipped_dir


def expected_output(request: dict, lang: str | None = None) -> dict:
    parsed = request_from_dict(request)
    assessment = evaluate(ladder_catalogue(), parsed.profile, parsed.observations, parsed.person)
    return assessment_to_dict(assessment, ref=parsed.ref, lang=lang)


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("screening", *args, **options)
    return out.getvalue()


def refused(*args: str, stdin: str | None = None) -> tuple[str, str]:
    """Run a command that must fail; return (its error message, what it wrote to stdout)."""
    out = io.StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    with pytest.raises(CommandError) as caught:
        call_command("screening", *args, **options)
    return str(caught.value), out.getvalue()


def batch_input(*requests) -> str:
    return "".join(json.dumps(request) + "\n" for request in requests)


def variant(**changes) -> dict:
    data = json.loads(json.dumps(REQUEST))
    data.update(changes)
    return data


class TestEvaluate:
    def test_it_prints_the_assessment_of_a_file(self, shipped, tmp_path):
        path = tmp_path / "request.json"
        path.write_text(json.dumps(REQUEST), encoding="utf-8")

        output = json.loads(run("evaluate", str(path)))

        assert output == expected_output(REQUEST)
        assert output["recommendation"] == "refer_for_identification"
        assert output["catalogue_version"] == "2026.1"

    def test_it_reads_stdin_with_a_dash_or_no_file(self, shipped):
        with_dash = run("evaluate", "-", stdin=json.dumps(REQUEST))
        without = run("evaluate", stdin=json.dumps(REQUEST))

        assert json.loads(with_dash) == expected_output(REQUEST)
        assert with_dash == without

    def test_it_adds_the_reason_texts_in_the_language_asked(self, shipped):
        output = json.loads(run("evaluate", "--lang", "lv", stdin=json.dumps(REQUEST)))

        assert output == expected_output(REQUEST, lang="lv")
        assert output["reasons"][0]["text"].startswith("R2: spēcīga maldināšanas")

    def test_the_same_input_gives_the_same_output(self, shipped):
        first = run("evaluate", stdin=json.dumps(REQUEST))
        second = run("evaluate", stdin=json.dumps(REQUEST))

        assert first == second

    def test_a_request_can_pin_an_older_catalogue(self, shipped):
        older = [indicator_data("DR-01", "deceptive_recruitment", "M", "M")]
        older += [indicator_data("EX-03", "exploitative_conditions", "M", "M")]
        write_catalogue(shipped, catalogue_data("2025.1", older))

        pinned = json.loads(run("evaluate", stdin=json.dumps(variant(catalogue_version="2025.1"))))
        newest = json.loads(run("evaluate", stdin=json.dumps(REQUEST)))

        assert pinned["catalogue_version"] == "2025.1"
        assert pinned["recommendation"] == "labour_inspectorate_and_rescreen"
        assert newest["catalogue_version"] == "2026.1"

    def test_it_can_evaluate_against_a_catalogue_file_that_is_not_shipped(
        self, shipped_dir, tmp_path
    ):
        draft = write_catalogue(tmp_path, catalogue_data("2026.2"))

        output = json.loads(
            run("evaluate", "--catalogue-file", str(draft), stdin=json.dumps(REQUEST))
        )

        assert output["catalogue_version"] == "2026.2"

    @pytest.mark.parametrize(
        ("stdin", "message"),
        [
            ("{", "stdin line 1 column 2: invalid JSON"),
            ("", "stdin line 1 column 1: invalid JSON"),
            (
                "{}\n{}\n",
                "stdin line 2 column 1: invalid JSON: Extra data (one request per line? use --batch)",
            ),
            (
                json.dumps(variant(profile={"age_group": "adult", "form": "fishing"})),
                "stdin: profile.form: unknown value 'fishing'",
            ),
            (
                json.dumps(
                    variant(
                        observations=[
                            {"indicator": "ZZ-99", "source": "observed", "stage": "other"}
                        ]
                    )
                ),
                "stdin: observations[0].indicator: unknown indicator 'ZZ-99' in catalogue 2026.1",
            ),
            (
                json.dumps(variant(catalogue_version="2024.1")),
                "stdin: catalogue_version: unknown catalogue version; available: 2026.1",
            ),
        ],
        ids=[
            "broken JSON",
            "empty input",
            "JSON Lines without --batch",
            "bad field",
            "unknown indicator",
            "unknown version",
        ],
    )
    def test_bad_input_names_the_field_and_prints_nothing(self, shipped, stdin, message):
        error, stdout = refused("evaluate", stdin=stdin)

        assert error.startswith(message)
        assert stdout == ""

    def test_a_missing_file_is_refused(self, shipped, tmp_path):
        error, stdout = refused("evaluate", str(tmp_path / "nowhere.json"))

        assert "nowhere.json: cannot read" in error
        assert stdout == ""

    def test_a_request_pinning_another_version_than_the_catalogue_file_is_refused(self, tmp_path):
        draft = write_catalogue(tmp_path, catalogue_data("2026.2"))

        error, _ = refused(
            "evaluate",
            "--catalogue-file",
            str(draft),
            stdin=json.dumps(variant(catalogue_version="2026.1")),
        )

        assert (
            "catalogue_version: '2026.1' is not the catalogue given with --catalogue-file (2026.2)"
            in error
        )

    def test_an_invalid_catalogue_file_is_refused_naming_it(self, tmp_path):
        data = catalogue_data("2026.2", [indicator_data("DR-01", "nowhere")])
        draft = write_catalogue(tmp_path, data)

        error, _ = refused("evaluate", "--catalogue-file", str(draft), stdin=json.dumps(REQUEST))

        assert f"{draft}: indicator DR-01, field 'dimension': unknown dimension 'nowhere'" in error

    def test_an_unknown_default_version_is_refused_before_reading_input(self, shipped):
        error, _ = refused("evaluate", "--catalogue-version", "2030.1", stdin="not read")

        assert "unknown catalogue version; available: 2026.1" in error


class TestBatch:
    def test_it_writes_one_assessment_per_line_in_order(self, shipped):
        child = variant(ref="b", person={"age": 15})
        smuggled = variant(ref="c", observations=[])

        lines = run("evaluate", "--batch", stdin=batch_input(REQUEST, child, smuggled)).splitlines()

        assert [json.loads(line) for line in lines] == [
            expected_output(REQUEST),
            expected_output(child),
            expected_output(smuggled),
        ]
        assert [json.loads(line)["recommendation"] for line in lines] == [
            "refer_for_identification",
            "child_protection_referral",
            "no_action",
        ]

    def test_a_byte_order_mark_is_not_an_error(self, shipped, tmp_path):
        path = tmp_path / "requests.jsonl"
        path.write_text(batch_input(REQUEST), encoding="utf-8-sig")

        assert len(run("evaluate", "--batch", str(path)).splitlines()) == 1

    def test_it_reads_a_jsonl_file_and_skips_blank_lines(self, shipped, tmp_path):
        path = tmp_path / "requests.jsonl"
        path.write_text(batch_input(REQUEST) + "\n   \n" + batch_input(REQUEST), encoding="utf-8")

        lines = run("evaluate", "--batch", str(path)).splitlines()

        assert len(lines) == 2

    def test_a_bad_line_stops_everything_and_is_named(self, shipped):
        bad = variant(
            observations=[{"indicator": "DR-01", "source": "observed", "stage": "airport"}]
        )

        error, stdout = refused("evaluate", "--batch", stdin=batch_input(REQUEST, REQUEST, bad))

        assert error.startswith("stdin line 3: observations[0].stage: unknown value 'airport'")
        assert stdout == ""

    def test_every_bad_line_is_listed(self, shipped):
        text = batch_input(REQUEST) + "{oops\n" + batch_input(variant(profile=None), REQUEST)

        error, stdout = refused("evaluate", "--batch", stdin=text)

        assert error.splitlines() == [
            "stdin: nothing was assessed; fix these lines and run again:",
            "  stdin line 2 column 2: invalid JSON: Expecting property name enclosed in double quotes",
            "  stdin line 3: profile: must be a JSON object",
        ]
        assert stdout == ""

    def test_the_list_of_problems_is_cut_short(self, shipped):
        text = "[]\n" * 50

        error, _ = refused("evaluate", "--batch", stdin=text)

        assert len(error.splitlines()) == 1 + 20 + 1
        assert error.splitlines()[-1] == "  ... and more"

    def test_an_empty_batch_prints_nothing(self, shipped):
        assert run("evaluate", "--batch", stdin="") == ""

    def test_it_can_add_reason_texts(self, shipped):
        (line,) = run(
            "evaluate", "--batch", "--lang", "ru", stdin=batch_input(REQUEST)
        ).splitlines()

        assert json.loads(line)["reasons"][0]["text"].startswith("R2: сильный признак")


class TestCatalogue:
    def test_it_lists_codes_dimensions_and_strengths_per_profile(self, shipped):
        listing = json.loads(run("catalogue"))

        assert listing["version"] == "2026.1"
        first = listing["indicators"][0]
        assert (first["code"], first["dimension"]) == ("DR-01", "deceptive_recruitment")
        assert first["strength"]["child"]["sham_marriage"] == "strong"
        assert "text" not in first

    def test_it_adds_texts_in_one_language(self, shipped):
        listing = json.loads(run("catalogue", "--version", "2026.1", "--lang", "lv"))

        assert listing["indicators"][0]["text"] == "Indicator DR-01 (lv)"

    def test_an_unknown_version_is_refused(self, shipped):
        error, stdout = refused("catalogue", "--version", "2030.1")

        assert "2030.1: unknown catalogue version; available: 2026.1" in error
        assert stdout == ""

    def test_an_unknown_language_is_refused(self, shipped):
        with pytest.raises(CommandError, match="invalid choice: 'de'"):
            call_command("screening", "catalogue", "--lang", "de", stdout=io.StringIO())


class TestDiff:
    def test_it_compares_a_shipped_version_with_a_draft_file(self, shipped, tmp_path):
        indicators = catalogue_data()["indicators"]
        indicators[0]["strength"]["adult"]["labour"] = "M"
        draft = write_catalogue(tmp_path, catalogue_data("2026.2", indicators[:-1]))

        output = json.loads(run("diff", "2026.1", str(draft)))

        assert output == {
            "old_version": "2026.1",
            "new_version": "2026.2",
            "added": [],
            "removed": ["CD-09"],
            "changed": [{"code": "DR-01", "fields": ["strength.adult.labour"]}],
            "forms_added": [],
            "forms_removed": [],
            "same_fact_changed": [],
        }

    def test_an_unknown_version_is_refused(self, shipped):
        error, stdout = refused("diff", "2026.1", "2026.7")

        assert "2026.7: unknown catalogue version" in error
        assert stdout == ""


def atpazit(*args: str, stdin: str | bytes, catalogue: Path) -> subprocess.CompletedProcess:
    """Run the real command in a child process, as an operator would."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "atpazit.settings_test",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "screening", *args, "--catalogue-file", str(catalogue)],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


class TestInAChildProcess:
    @pytest.fixture
    def draft(self, tmp_path):
        return write_catalogue(tmp_path, catalogue_data("2026.1"))

    def test_evaluate_reads_stdin(self, draft):
        result = atpazit("evaluate", "--lang", "ru", stdin=json.dumps(REQUEST), catalogue=draft)

        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == expected_output(REQUEST, lang="ru")

    def test_batch_reads_stdin(self, draft):
        result = atpazit(
            "evaluate", "--batch", stdin=batch_input(REQUEST, REQUEST), catalogue=draft
        )

        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 2

    def test_bad_input_exits_non_zero_with_nothing_on_stdout(self, draft):
        bad = variant(person={"age": "old"})

        result = atpazit("evaluate", "--batch", stdin=batch_input(REQUEST, bad), catalogue=draft)

        assert result.returncode == 1
        assert result.stdout == b""
        assert "stdin line 2: person.age: must be a whole number or null" in result.stderr.decode()

    def test_input_that_is_not_utf8_is_refused(self, draft):
        result = atpazit("evaluate", stdin=b'{"ref": "\xff"}', catalogue=draft)

        assert result.returncode == 1
        assert result.stdout == b""
        assert "stdin: not UTF-8 text" in result.stderr.decode()


class TestShippedCatalogue:
    """The same commands on the catalogue the application ships (no stand-in directory)."""

    def test_the_listing_covers_every_indicator_and_profile(self):
        shipped = latest_catalogue()

        listing = json.loads(run("catalogue", "--lang", "lv"))

        assert listing["version"] == shipped.version
        assert [entry["code"] for entry in listing["indicators"]] == [i.code for i in shipped]
        for entry in listing["indicators"]:
            assert set(entry["strength"]) == {"adult", "child"}
            # Every form the release rates, and the derived "unknown or several".
            assert all(len(forms) == len(shipped.forms) for forms in entry["strength"].values())
            assert entry["text"]
            assert entry["prompts"]

    def test_every_indicator_alone_in_every_profile_is_assessed(self):
        shipped = latest_catalogue()
        requests = [
            {
                "ref": f"{indicator.code}/{age}/{form}",
                "profile": {"age_group": age, "form": form},
                "observations": [
                    {"indicator": indicator.code, "source": "observed", "stage": "other"}
                ],
            }
            for indicator in shipped
            for age in ("adult", "child")
            for form in (
                "labour",
                "sexual",
                "criminality",
                "begging",
                "domestic_servitude",
                "sham_marriage",
            )
        ]

        lines = run("evaluate", "--batch", stdin=batch_input(*requests)).splitlines()

        results = [json.loads(line) for line in lines]
        assert len(results) == len(requests)
        for result in results:
            if result["profile"]["age_group"] == "child":
                assert result["recommendation"] == "child_protection_referral", result["ref"]
            else:
                assert result["recommendation"] != "no_action", result["ref"]
            assert result["catalogue_version"] == shipped.version

    def test_a_release_compared_with_itself_has_no_changes(self):
        version = latest_catalogue().version

        output = json.loads(run("diff", version, version))

        assert (output["added"], output["removed"], output["changed"]) == ([], [], [])


# Issue 9, "What is wrong today": through the command, with the shipped release 2026.2 and the
# default form "unknown or several". Each was rescreen_next_stage before.
ISSUE_9_CASES = [
    ("handover", ["RC-09", "RC-08"], "refer_for_identification"),
    ("pre_departure", ["RC-06"], "refer_for_identification"),
    ("detention_intake", ["CD-10", "CD-11", "CD-12"], "refer_for_identification"),
    ("detention_intake", ["CR-05", "CR-06", "CR-10"], "refer_for_identification"),
    ("in_flight", ["RC-13"], "interview_before_departure"),
    ("handover", ["VR-06"], "interview_before_departure"),
    ("detention_intake", ["RC-01"], "refer_for_identification"),
]


@pytest.mark.parametrize(("stage", "codes", "expected"), ISSUE_9_CASES)
def test_the_command_gives_the_issue_9_cases_their_class(stage, codes, expected):
    request = {
        "catalogue_version": "2026.2",
        "profile": {"age_group": "adult", "form": "unknown"},
        "person": {"age": 30},
        "observations": [
            {"indicator": code, "source": "said_by_person", "stage": stage} for code in codes
        ],
    }

    output = json.loads(run("evaluate", stdin=json.dumps(request)))

    assert output["recommendation"] == expected
    assert output["stage"] == stage
