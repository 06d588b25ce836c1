"""Who is acting in the current request or command, so services can audit without a request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None = None
    actor_label: str = ""
    organisation_id: int | None = None
    organisation_label: str = ""
    ip_address: str | None = None


SYSTEM = AuditContext(actor_label="system")

current_context: ContextVar[AuditContext] = ContextVar("atpazit_audit_context", default=SYSTEM)
