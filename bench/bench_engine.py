"""Benchmark of the screening engine (DESIGN.md §9: median <= 0.5 ms, >= 2,000 per second in batch).

Measures, on a generated JSON Lines file of synthetic observation sets:

1. the median (and p95, p99) time of one ``evaluate`` call in this process, and of ``evaluate``
   plus the JSON output the CLI writes;
2. the throughput of ``atpazit screening evaluate --batch`` in a child process, start-up included,
   with and without the reason texts (``--lang lv``).

It prints a Markdown table for docs/performance.md. It is a measurement, not a test: nothing
fails when a budget is missed; the table says so.

    .venv/bin/python bench/bench_engine.py [--count 20000] [--seed 2026] [--repeat 3]
                                           [--catalogue-file PATH]

Without --catalogue-file it uses the newest shipped catalogue, or an invented 64-indicator one
when none is shipped yet. All requests are invented; none describes a real person.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atpazit.screening.catalogue import (  # noqa: E402 - needs the path above
    AgeGroup,
    Catalogue,
    CatalogueError,
    Dimension,
    Form,
    Stage,
    latest_catalogue,
    load_catalogue_file,
)
from atpazit.screening.engine import (  # noqa: E402
    EvidenceSource,
    assessment_to_dict,
    evaluate,
    request_from_dict,
)

BUDGET_MEDIAN_MS = 0.5
BUDGET_PER_SECOND = 2_000
WARM_UP = 1_000


def synthetic_catalogue(directory: Path) -> Path:
    """An invented catalogue: eight indicators per dimension, strong to weak, for every profile."""
    import yaml

    letters = ["S", "S", "M", "M", "M", "W", "W", "W"]
    prefixes = ["DR", "CR", "RV", "EX", "CD", "AD", "RC", "CH"]
    text = {"lv": "Pazīme", "en": "Indicator", "ru": "Признак"}
    indicators = []
    for dimension, prefix in zip(Dimension, prefixes, strict=True):
        for number, letter in enumerate(letters, start=1):
            child = "M" if letter == "W" else letter
            indicators.append(
                {
                    "code": f"{prefix}-{number:02d}",
                    "dimension": dimension.value,
                    "strength": {
                        "adult": {form.value: letter for form in Form},
                        "child": {form.value: child for form in Form},
                    },
                    "text": text,
                    "prompts": [text],
                    "guidance": text,
                    "stages": ["detention_intake"],
                    "sources": ["ilo"],
                }
            )
    data = {
        "version": "2026.1",
        "title": "Synthetic benchmark catalogue",
        "sources": {"ilo": {"title": "ILO 2009", "url": "https://www.ilo.org/"}},
        "indicators": indicators,
    }
    path = directory / "2026.1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def choose_catalogue(argument: str | None, scratch: Path) -> tuple[Catalogue, Path | None]:
    """Return the catalogue and, unless it is a shipped one, the file the CLI must be given."""
    if argument:
        return load_catalogue_file(Path(argument)), Path(argument)
    try:
        return latest_catalogue(), None
    except CatalogueError:
        path = synthetic_catalogue(scratch)
        return load_catalogue_file(path), path


def synthetic_request(rng: random.Random, number: int, codes: list[str]) -> dict[str, Any]:
    """One invented screening: 0-12 observations, mostly adults, some children and disputes."""
    count = 0 if rng.random() < 0.15 else rng.randint(1, 12)
    age = None if rng.random() < 0.4 else rng.randint(14, 62)
    return {
        "ref": f"bench-{number}",
        "profile": {
            "age_group": AgeGroup.CHILD.value if rng.random() < 0.1 else AgeGroup.ADULT.value,
            "form": rng.choice(list(Form)).value,
        },
        "person": {
            "age": age,
            "age_disputed": rng.random() < 0.05,
            "suspected_of_offence": rng.random() < 0.1,
        },
        "observations": [
            {
                "indicator": code,
                "source": rng.choice(list(EvidenceSource)).value,
                "stage": rng.choice(list(Stage)).value,
            }
            for code in rng.sample(codes, min(count, len(codes)))
        ],
    }


def write_requests(path: Path, count: int, seed: int, catalogue: Catalogue) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    codes = [indicator.code for indicator in catalogue]
    requests = [synthetic_request(rng, number, codes) for number in range(count)]
    with path.open("w", encoding="utf-8") as out:
        for request in requests:
            out.write(json.dumps(request, ensure_ascii=False) + "\n")
    return requests


def time_in_process(catalogue: Catalogue, requests: list[dict[str, Any]]) -> dict[str, float]:
    """Per-call timings in milliseconds, after a warm-up, one call at a time."""
    parsed = [request_from_dict(raw) for raw in requests]
    for request in parsed[:WARM_UP]:
        evaluate(catalogue, request.profile, request.observations, request.person)
    clock = time.perf_counter_ns
    evaluate_ns, with_json_ns = [], []
    for request in parsed:
        start = clock()
        assessment = evaluate(catalogue, request.profile, request.observations, request.person)
        middle = clock()
        json.dumps(assessment_to_dict(assessment, ref=request.ref), separators=(",", ":"))
        end = clock()
        evaluate_ns.append(middle - start)
        with_json_ns.append(end - start)
    started = time.perf_counter()
    for request in parsed:
        evaluate(catalogue, request.profile, request.observations, request.person)
    elapsed = time.perf_counter() - started
    return {
        "median": statistics.median(evaluate_ns) / 1e6,
        "p95": _percentile(evaluate_ns, 95) / 1e6,
        "p99": _percentile(evaluate_ns, 99) / 1e6,
        "json_median": statistics.median(with_json_ns) / 1e6,
        "per_second": len(parsed) / elapsed,
    }


def _percentile(values: list[int], percent: int) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, len(ordered) * percent // 100)])


def cli_command() -> list[str]:
    script = ROOT / ".venv" / "bin" / "atpazit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "atpazit.cli"]


def time_cli(
    jsonl: Path, expected_lines: int, catalogue_file: Path | None, extra: list[str], repeat: int
) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) in seconds of
    ``screening evaluate --batch`` over ``repeat`` runs. CPU time is what the run costs; wall time
    also counts waiting for a core when the machine is busy."""
    command = [*cli_command(), "screening", "evaluate", "--batch", str(jsonl), *extra]
    if catalogue_file is not None:
        command += ["--catalogue-file", str(catalogue_file)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryFile() as out:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, stdout=out, check=True, env=env, cwd=ROOT)
            best_wall = min(best_wall, time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best_cpu = min(best_cpu, cpu)
            out.seek(0)
            lines = sum(1 for _ in out)
        if lines != expected_lines:
            raise SystemExit(f"the CLI wrote {lines} lines for {expected_lines} requests")
    return best_wall, best_cpu


def verdict(ok: bool) -> str:
    return "within budget" if ok else "OVER BUDGET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="synthetic requests (20000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument("--repeat", type=int, default=3, help="CLI runs; the best counts (3)")
    parser.add_argument("--catalogue-file", help="benchmark this catalogue file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        catalogue, catalogue_file = choose_catalogue(args.catalogue_file, scratch)
        jsonl = scratch / "requests.jsonl"
        requests = write_requests(jsonl, args.count, args.seed, catalogue)
        one_line = scratch / "one.jsonl"
        one_line.write_text(jsonl.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")

        engine = time_in_process(catalogue, requests)
        start_up = time_cli(one_line, 1, catalogue_file, [], args.repeat)
        batch = time_cli(jsonl, args.count, catalogue_file, [], args.repeat)
        batch_lv = time_cli(jsonl, args.count, catalogue_file, ["--lang", "lv"], args.repeat)

    n = args.count
    observations = sum(len(request["observations"]) for request in requests)
    synthetic = ", synthetic" if catalogue_file and not args.catalogue_file else ""
    print(
        f"Screening engine, catalogue {catalogue.version} ({len(catalogue.indicators)} indicators"
        f"{synthetic}); {n:,} synthetic requests, {observations / n:.1f} observations on average; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )
    print()
    print("| measure | result | budget |")
    print("|---|---|---|")
    median_ok = engine["median"] <= BUDGET_MEDIAN_MS
    rows = [
        (
            "`evaluate`, median per call (in process)",
            f"{engine['median']:.3f} ms",
            f"<= {BUDGET_MEDIAN_MS} ms: {verdict(median_ok)}",
        ),
        ("`evaluate`, p95 / p99", f"{engine['p95']:.3f} / {engine['p99']:.3f} ms", ""),
        ("`evaluate` + JSON output, median", f"{engine['json_median']:.3f} ms", ""),
        ("`evaluate` throughput, in process", f"{engine['per_second']:,.0f} /s", ""),
        ("CLI start-up (1-line batch), wall / CPU", f"{start_up[0]:.2f} / {start_up[1]:.2f} s", ""),
    ]
    for label, (wall, cpu) in (("`--batch`", batch), ("`--batch --lang lv`", batch_lv)):
        rows.append(
            (
                f"CLI {label}, {n:,} lines incl. start-up, wall clock",
                f"{wall:.2f} s = {n / wall:,.0f} /s",
                f">= {BUDGET_PER_SECOND:,}/s: {verdict(n / wall >= BUDGET_PER_SECOND)}",
            )
        )
        rows.append(
            (
                f"CLI {label}, {n:,} lines incl. start-up, CPU time",
                f"{cpu:.2f} s = {n / cpu:,.0f} /s",
                f">= {BUDGET_PER_SECOND:,}/s: {verdict(n / cpu >= BUDGET_PER_SECOND)}",
            )
        )
        steady = n / max(wall - start_up[0], 1e-9)
        rows.append((f"CLI {label}, excluding start-up, wall clock", f"{steady:,.0f} /s", ""))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
