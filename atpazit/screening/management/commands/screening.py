"""``atpazit screening``: evaluate observations, list a catalogue, diff two catalogue releases.

    atpazit screening evaluate [FILE.json|-]            one request -> one assessment (JSON)
    atpazit screening evaluate --batch [FILE.jsonl|-]   JSON Lines in -> one assessment per line
    atpazit screening catalogue [--version V] [--lang L]
    atpazit screening diff OLD NEW                      each a shipped version or a file path
    atpazit screening translation-template LANG [--version V]   a new prompt translation file

Formats: docs/screening-format.md. The command reads no database and runs no system checks, so
it works on a machine with nothing but the code. Bad input is refused as a whole: the error names
the line and the field, the exit status is non-zero, and nothing is written to standard output.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.lib.person_languages import PERSON_LANGUAGES
from atpazit.screening import translations
from atpazit.screening.catalogue import (
    LANGUAGES,
    VERSION_RE,
    Catalogue,
    CatalogueError,
    catalogue_to_dict,
    diff_catalogues,
    diff_to_dict,
    get_catalogue,
    latest_catalogue,
    load_catalogue_file,
)
from atpazit.screening.engine import (
    ScreeningInputError,
    ScreeningRequest,
    assessment_to_dict,
    evaluate,
    request_from_dict,
)

MAX_REPORTED_PROBLEMS = 20
# Above this much buffered output the batch spills to a temporary file instead of memory.
SPOOL_BYTES = 32 * 1024 * 1024


class BadInput(Exception):
    """A batch line that is not JSON, already phrased for the problem report."""


class Catalogues:
    """Resolves the catalogue of each request once; every later request reuses the same object."""

    def __init__(self, *, default_version: str | None, file: str | None) -> None:
        self.default_version = default_version
        self.pinned: Catalogue | None = None
        self.loaded: dict[str, Catalogue] = {}
        if file is not None:
            self.pinned = _load(load_catalogue_file, Path(file))
            if default_version is not None and default_version != self.pinned.version:
                message = f"--catalogue-file holds {self.pinned.version}, not {default_version}"
                raise CommandError(message)
        elif default_version is not None:
            # Fail before reading any input when the option itself names no catalogue.
            self.loaded[default_version] = _load(get_catalogue, default_version)

    def for_request(self, request: ScreeningRequest) -> Catalogue:
        version = request.catalogue_version or self.default_version
        if self.pinned is not None:
            if version is not None and version != self.pinned.version:
                raise ScreeningInputError(
                    "catalogue_version",
                    f"{version!r} is not the catalogue given with --catalogue-file "
                    f"({self.pinned.version})",
                )
            return self.pinned
        key = version or ""
        if key not in self.loaded:
            try:
                self.loaded[key] = get_catalogue(version) if version else latest_catalogue()
            except CatalogueError as exc:
                raise ScreeningInputError("catalogue_version", "; ".join(exc.problems)) from exc
        return self.loaded[key]


def _load(loader: Callable[..., Catalogue], *arguments: Any) -> Catalogue:
    """Call a catalogue loader, turning a CatalogueError into a CommandError."""
    try:
        return loader(*arguments)
    except CatalogueError as exc:
        raise CommandError(str(exc)) from exc


def _catalogue_argument(value: str) -> Catalogue:
    """A shipped version such as 2026.1, or the path of a catalogue file."""
    if VERSION_RE.match(value):
        return _load(get_catalogue, value)
    return _load(load_catalogue_file, Path(value))


def _dumps(data: Any, *, compact: bool) -> str:
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=2)


class Command(BaseCommand):
    help = "Screening engine: evaluate observations, list a catalogue, diff two releases."
    requires_system_checks: list[str] = []  # pure: no database, no checks, fast start
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="print the assessment of a JSON request")
        ev.add_argument("input", nargs="?", default="-", help="FILE.json, FILE.jsonl or - (stdin)")
        ev.add_argument("--batch", action="store_true", help="JSON Lines: one request per line")
        ev.add_argument("--lang", choices=LANGUAGES, help="add each reason's text in lv, en or ru")
        ev.add_argument(
            "--catalogue-version",
            help="version for requests that name none (default: the newest shipped one)",
        )
        ev.add_argument("--catalogue-file", help="evaluate against this catalogue file instead")
        cat = sub.add_parser("catalogue", help="list codes, dimensions and strengths per profile")
        cat.add_argument("--version", dest="catalogue_version", help="default: the newest")
        cat.add_argument("--lang", choices=LANGUAGES, help="add texts, prompts and guidance")
        cat.add_argument("--catalogue-file", help="list this catalogue file instead")
        diff = sub.add_parser("diff", help="compare two catalogue releases")
        diff.add_argument("old", help="a shipped version (2026.1) or a catalogue file")
        diff.add_argument("new", help="a shipped version (2026.2) or a catalogue file")
        tpl = sub.add_parser(
            "translation-template",
            help="print a prompt translation file to fill in (docs/screening-format.md)",
        )
        tpl.add_argument("language", choices=PERSON_LANGUAGES, help="the person language")
        tpl.add_argument("--version", dest="catalogue_version", help="default: the newest")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "evaluate":
            self._evaluate(options)
        elif action == "catalogue":
            self._catalogue(options)
        elif action == "translation-template":
            version = options["catalogue_version"]
            catalogue = _load(get_catalogue, version) if version else _load(latest_catalogue)
            self.stdout.write(translations.template(catalogue, options["language"]), ending="")
        else:
            old = _catalogue_argument(options["old"])
            new = _catalogue_argument(options["new"])
            self.stdout.write(_dumps(diff_to_dict(diff_catalogues(old, new)), compact=False))

    def _catalogue(self, options: dict[str, Any]) -> None:
        if options["catalogue_file"]:
            catalogue = _load(load_catalogue_file, Path(options["catalogue_file"]))
        elif options["catalogue_version"]:
            catalogue = _load(get_catalogue, options["catalogue_version"])
        else:
            catalogue = _load(latest_catalogue)
        listing = catalogue_to_dict(catalogue, lang=options["lang"])
        self.stdout.write(_dumps(listing, compact=False))

    # --- evaluate ---------------------------------------------------------------------------

    def _evaluate(self, options: dict[str, Any]) -> None:
        catalogues = Catalogues(
            default_version=options["catalogue_version"], file=options["catalogue_file"]
        )
        argument = options["input"]
        name = "stdin" if argument == "-" else argument
        try:
            with self._open(argument, options.get("stdin")) as stream:
                if options["batch"]:
                    self._batch(name, stream, catalogues, options["lang"])
                else:
                    self._single(name, stream, catalogues, options["lang"])
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name}: not UTF-8 text ({exc.reason})") from exc

    @contextlib.contextmanager
    def _open(self, argument: str, stdin: IO[str] | None) -> Iterator[IO[str]]:
        """The input as text: a file (closed afterwards) or standard input (left open)."""
        if argument != "-":
            try:
                # utf-8-sig: a byte-order mark from a Windows editor is not a JSON error.
                stream = open(argument, encoding="utf-8-sig")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"{argument}: cannot read: {exc.strerror or exc}") from exc
            with stream:
                yield stream
        elif stdin is not None:
            yield stdin
        elif getattr(sys.stdin, "buffer", None) is None:
            yield sys.stdin
        else:
            # Read the bytes as UTF-8 whatever the terminal's locale says; detach, not close.
            wrapper = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig")
            try:
                yield wrapper
            finally:
                wrapper.detach()

    def _single(self, name: str, stream: IO[str], catalogues: Catalogues, lang: str | None) -> None:
        text = stream.read()
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            hint = " (one request per line? use --batch)" if exc.msg == "Extra data" else ""
            raise CommandError(
                f"{name} line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}{hint}"
            ) from exc
        try:
            output = _assess(raw, catalogues, lang)
        except ScreeningInputError as exc:
            raise CommandError(f"{name}: {exc.field}: {exc.detail}") from exc
        self.stdout.write(_dumps(output, compact=False))

    def _batch(self, name: str, stream: IO[str], catalogues: Catalogues, lang: str | None) -> None:
        with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as out:
            problems = list(
                itertools.islice(
                    _run_batch(_lines(stream), catalogues, lang, out), MAX_REPORTED_PROBLEMS + 1
                )
            )
            if problems:
                raise CommandError(_problem_report(name, problems))
            out.seek(0)
            # All-or-nothing: output reaches stdout only once every line has been assessed.
            shutil.copyfileobj(out, _RawWriter(self), length=1024 * 1024)


class _RawWriter:
    """File-like adapter: chunks go to the command's stdout with no added line endings."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def write(self, chunk: str) -> None:
        self.command.stdout.write(chunk, ending="")


def _lines(stream: Iterable[str]) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed JSON) for each non-blank line; bad JSON raises BadInput."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, BadInput(f"line {number} column {exc.colno}: invalid JSON: {exc.msg}")


def _run_batch(
    lines: Iterable[tuple[int, Any]], catalogues: Catalogues, lang: str | None, out: IO[str]
) -> Iterator[str]:
    """Assess each line into ``out``; yield a problem for each bad line."""
    for number, raw in lines:
        if isinstance(raw, BadInput):
            yield str(raw)
            continue
        try:
            out.write(_dumps(_assess(raw, catalogues, lang), compact=True))
        except ScreeningInputError as exc:
            yield f"line {number}: {exc.field}: {exc.detail}"
        else:
            out.write("\n")


def _assess(raw: object, catalogues: Catalogues, lang: str | None) -> dict[str, Any]:
    request = request_from_dict(raw)
    catalogue = catalogues.for_request(request)
    assessment = evaluate(
        catalogue, request.profile, request.observations, request.person, stage=request.stage
    )
    return assessment_to_dict(assessment, ref=request.ref, lang=lang)


def _problem_report(name: str, problems: list[str]) -> str:
    """One problem on one line; several as a list (cut at MAX_REPORTED_PROBLEMS)."""
    if len(problems) == 1:
        return f"{name} {problems[0]}"
    shown = problems[:MAX_REPORTED_PROBLEMS]
    lines = "\n".join(f"  {name} {problem}" for problem in shown)
    more = "\n  ... and more" if len(problems) > len(shown) else ""
    return f"{name}: nothing was assessed; fix these lines and run again:\n{lines}{more}"
