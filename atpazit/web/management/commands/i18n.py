"""``atpazit i18n update`` refreshes every message catalogue; ``atpazit i18n check`` fails CI when
a catalogue is stale (source strings changed without `update`) or a translation is missing.

``check`` also reports the person's languages (lib/person_languages.py): for every translated
document (the interview prompts, the reflection-period sheet) and every person language, whether
it is translated, complete and current, and its review status. A translation file that misses a
text, has a stale one or is invalid fails the check; a language with no file yet, or a draft, is
reported but does not fail. ``atpazit i18n languages`` prints only that report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from atpazit.lib.person_languages import TRANSLATED_DOCUMENTS, LanguageStatus

LANGUAGES = ["lv", "ru", "en"]
IGNORED = [
    "node_modules",
    "var",
    "bench",
    "docs",
    "tests",
    "*/tests/*",
    "*/static/vendor/*",
    "build",
]


def _catalogues(root: Path, *, base: bool = False) -> list[Path]:
    pattern = (
        "locale/*/LC_MESSAGES/django*.po" if base else "atpazit/**/locale/*/LC_MESSAGES/django*.po"
    )
    return sorted(root.glob(pattern))


def _entries(po_path: Path) -> set[tuple[str, str, str]]:
    import polib

    return {
        (e.msgctxt or "", e.msgid, e.msgid_plural or "")
        for e in polib.pofile(str(po_path))
        if not e.obsolete
    }


PLURAL_FORMS = {
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
}


def _set_header(po_path: Path, language: str) -> None:
    """makemessages leaves the plural rule blank for new catalogues; ours must be right."""
    import polib

    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    if (
        catalogue.metadata.get("Plural-Forms") != PLURAL_FORMS[language]
        or catalogue.metadata.get("Language") != language
    ):
        catalogue.metadata["Plural-Forms"] = PLURAL_FORMS[language]
        catalogue.metadata["Language"] = language
        catalogue.save()


def _fill_english(po_path: Path) -> None:
    """English is the source language: its catalogue repeats each msgid, so English never falls
    back to the Latvian default."""
    import polib

    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()


class Command(BaseCommand):
    help = "Update or check the lv/ru/en message catalogues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["update", "check", "languages"])
        parser.add_argument("--app", help="update only this app's catalogue (e.g. cases)")

    def handle(self, *args: Any, action: str, app: str | None = None, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        if action == "update" and app:
            self._update(root, only=root / "atpazit" / app)
        elif action == "update":
            self._update(root)
        elif action == "languages":
            problems = self._person_languages()
            if problems:
                raise CommandError(
                    "Translations for the person are not complete:\n  " + "\n  ".join(problems)
                )
        else:
            self._check(root)

    def _person_languages(self) -> list[str]:
        """Print the person-language report; return the problems that fail the check."""
        problems: list[str] = []
        for document in TRANSLATED_DOCUMENTS:
            self.stdout.write(f"{document.title}:")
            for status in document.statuses():
                self.stdout.write(f"  {status.language}: {_describe(status)}")
                problems += [f"{document.key} {status.language}: {p}" for p in status.problems]
        return problems

    def _update(self, root: Path, only: Path | None = None) -> None:
        if only is not None:
            (only / "locale").mkdir(exist_ok=True)
        self._makemessages(only or root, root)
        for po in _catalogues(only or root, base=only is not None):
            _set_header(po, po.parts[-3])
            if po.parts[-3] == "en":
                _fill_english(po)
        self.stdout.write("Catalogues updated; translate the empty and fuzzy entries in lv and ru.")

    def _makemessages(self, where: Path, root: Path) -> None:
        """One makemessages run from ``where``; LOCALE_PATHS routes each app's strings home."""
        languages = [arg for lang in LANGUAGES for arg in ("-l", lang)]
        ignored = [arg for pattern in IGNORED for arg in ("--ignore", pattern)]
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
            [
                sys.executable,
                "-P",  # an app folder must not shadow the standard library (selectors.py)
                "-m",
                "django",
                "makemessages",
                *languages,
                *ignored,
                "--no-location",
                "--no-obsolete",
                "--no-wrap",
                "-d",
                "django",
            ],
            cwd=where,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        if result.returncode != 0:
            raise CommandError(f"makemessages failed:\n{result.stderr}")

    def _check(self, root: Path) -> None:
        problems: list[str] = []
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "tree"
            shutil.copytree(
                root / "atpazit",
                copy / "atpazit",
                ignore=shutil.ignore_patterns("*.mo", "__pycache__", "vendor"),
            )
            for po in _catalogues(root):
                shutil.copy(po, copy / po.relative_to(root))
            call_command_in(copy)
            for po in _catalogues(root):
                fresh = copy / po.relative_to(root)
                if _entries(po) != _entries(fresh):
                    problems.append(
                        f"{po.relative_to(root)} is stale: run `make messages` and translate"
                    )
            for fresh in _catalogues(copy):
                original = root / fresh.relative_to(copy)
                if not original.exists():
                    problems.append(f"{original.relative_to(root)} is missing: run `make messages`")
        problems += _untranslated(root)
        problems += self._person_languages()
        if problems:
            raise CommandError("Translations are not complete:\n  " + "\n  ".join(problems))
        self.stdout.write(
            f"Translations OK: {len(_catalogues(root))} catalogues complete and current."
        )


def _describe(status: LanguageStatus) -> str:
    if not status.present:
        return "not translated yet (not offered)"
    if status.problems:
        return f"{len(status.problems)} problem(s): not offered"
    review = status.review
    assert review is not None  # a complete status has its review
    if review.is_draft:
        return f"complete ({status.total} texts), DRAFT: needs review by a native speaker"
    return f"complete ({status.total} texts), reviewed by {review.reviewer} on {review.reviewed_on}"


def call_command_in(tree: Path) -> None:
    env_python = sys.executable
    subprocess.run(  # noqa: S603
        [env_python, "-m", "django", "i18n", "update"],
        cwd=tree,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "PYTHONPATH": str(tree),
            "DJANGO_SETTINGS_MODULE": "atpazit.settings",
            "ATPAZIT_VAR_DIR": str(tree / "var"),
        },
    )


def _untranslated(root: Path) -> list[str]:
    import polib

    problems = []
    for po in _catalogues(root):
        catalogue = polib.pofile(str(po))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags or not entry.translated():
                problems.append(f"{po.relative_to(root)}: not translated: {entry.msgid[:70]!r}")
    return problems
