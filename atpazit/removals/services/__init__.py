"""Writes for removal operations and manifests. Every write is audited, and none lets a person
under an active removal hold through (invariant I1).

Each path that could move a held person towards removal — adding to a manifest (one by one
or by import), confirming an operation, completing it (marking persons departed) — locks the
person rows and calls ``atpazit.cases.holds.ensure_no_active_hold``, the single I1 guard, inside
its transaction. There is no override. A refusal is audited; a hold placed on a person who is
already on a manifest is a blocking conflict, escalated to the Ombudsman once per person and
operation (``sync_conflict_escalations``).
"""

from atpazit.removals.conflicts import (
    ConflictSync,
    sync_conflict_escalations,
    sync_conflicts_for_person,
)
from atpazit.removals.services.common import OperationBlocked, OperationChanged
from atpazit.removals.services.manifest import (
    ManifestImport,
    add_case_to_manifest,
    add_to_manifest,
    import_manifest,
    remove_from_manifest,
)
from atpazit.removals.services.operations import (
    OperationDetails,
    cancel_operation,
    complete_operation,
    confirm_operation,
    create_operation,
    update_operation,
)

__all__ = [
    "ConflictSync",
    "ManifestImport",
    "OperationBlocked",
    "OperationChanged",
    "OperationDetails",
    "add_case_to_manifest",
    "add_to_manifest",
    "cancel_operation",
    "complete_operation",
    "confirm_operation",
    "create_operation",
    "import_manifest",
    "remove_from_manifest",
    "sync_conflict_escalations",
    "sync_conflicts_for_person",
    "update_operation",
]
