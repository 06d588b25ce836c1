"""``atpazit removals import-manifest``: the same service, the same rules, from a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import PersonFactory
from atpazit.removals.models import ManifestEntry, RemovalOperation

pytestmark = pytest.mark.django_db


def import_manifest(
    operation: RemovalOperation, path: Path, username: str, **streams: io.StringIO
) -> None:
    call_command(
        "removals", "import-manifest", str(operation.pk), str(path), user=username, **streams
    )


def test_a_case_officer_imports_a_file(ilze, operation, tmp_path):
    people = [PersonFactory(organisation=operation.organisation) for _ in range(2)]
    path = tmp_path / "manifest.csv"
    path.write_text("case_number\n" + "\n".join(p.case_number for p in people) + "\n")
    out = io.StringIO()

    import_manifest(operation, path, ilze.username, stdout=out)

    assert "2 person(s) added" in out.getvalue()
    assert ManifestEntry.objects.count() == 2
    event = AuditEvent.objects.get(action="manifest.imported")
    assert event.actor_id == ilze.pk
    assert event.actor_label.endswith("(command line)")


def test_every_problem_is_printed_with_row_and_column(ilze, operation, tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("case_number,date_of_birth\nAT-2026-000404,31.02.1990\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        import_manifest(operation, path, ilze.username, stderr=err)

    assert "row 2, column case_number: No person with case number AT-2026-000404" in err.getvalue()
    assert "row 2, column date_of_birth:" in err.getvalue()


def test_another_units_operation_is_refused(gunars, operation, tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("case_number\nAT-2026-000001\n")

    with pytest.raises(CommandError, match="cannot change operation"):
        import_manifest(operation, path, gunars.username)
