"""The one vocabulary of refusals that services raise and views show.

A service that refuses raises one of these; nothing is saved (the write runs under
``transaction.atomic``). The message is translated and safe to show: it never names a person
who may not be seen. An app may add a thin subclass to carry more (e.g. the object that changed
meanwhile), but errors pass between apps unchanged: a caller never translates one app's error
into its own.

- ``ServiceError``: refused, for a reason the message states.
- ``NotAllowed``: the actor's role or organisation may not do this.
- ``InvalidInput``: bad input; ``errors`` names each field (or "__all__"), ``rows`` each row
  of an import (I8: a clear message naming the field or row).
- ``InvalidTransition``: the status table does not allow this move.
- ``ConcurrentEdit``: the object changed after the form was loaded; nothing was saved (I8).

``code`` is a stable word for the audit trail; ``field`` names the form field at fault, if any.
Views put an error on a form with ``atpazit.lib.forms.run_service``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

NON_FIELD = "__all__"


class ServiceError(Exception):
    """A write was refused; ``message`` is translated and safe to show."""

    default_code = "refused"

    def __init__(self, message: str = "", *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        """The messages by form field ("__all__" when the error names none)."""
        return {self.field or NON_FIELD: [self.message]}


class NotAllowed(ServiceError):
    """The actor's role or organisation may not do this to this object."""

    default_code = "not_allowed"


class InvalidInput(ServiceError):
    """Bad input. ``errors`` maps each field name (or "__all__") to translated messages;
    ``rows`` maps the line number of an imported row to its messages."""

    default_code = "invalid"

    def __init__(
        self,
        errors: Mapping[str, Sequence[str]] | None = None,
        *,
        rows: Mapping[int, Sequence[str]] | None = None,
        code: str | None = None,
    ) -> None:
        self._errors = {field: list(messages) for field, messages in (errors or {}).items()}
        self.rows = {row: list(messages) for row, messages in (rows or {}).items()}
        everything = [m for messages in self._errors.values() for m in messages]
        everything += [m for messages in self.rows.values() for m in messages]
        super().__init__(" ".join(everything), code=code)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors


class InvalidTransition(ServiceError):
    """The status table does not allow this move."""

    default_code = "invalid_transition"


class ConcurrentEdit(ServiceError):
    """The object changed after the form was loaded; nothing was saved (I8: never a silent
    overwrite). Subclasses carry what changed, so the form can be shown again knowingly."""

    default_code = "stale"
