"""The one way a view puts a service's refusal on a form (atpazit.lib.errors)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from django.contrib import messages as flash

from atpazit.lib.errors import ServiceError


def add_service_error(form: Any, exc: ServiceError) -> None:
    """Put each message on the field it names, or on the form when the form has no such field.

    A form may define ``field_for_error(key) -> str | None`` to map the service's keys onto
    its own fields (e.g. an indicator code onto its tick box)."""
    resolve = getattr(form, "field_for_error", None)
    for key, messages in exc.errors.items():
        name = resolve(key) if resolve is not None else key
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class service_errors:  # noqa: N801 - used as a statement, like contextlib.suppress
    """``with service_errors(form): ...`` runs the service call; a ServiceError raised inside
    ends the block and goes onto the form. ``ok`` says whether the block ran through."""

    def __init__(self, form: Any) -> None:
        self.form = form
        self.ok = False

    def __enter__(self) -> service_errors:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if exc is None:
            self.ok = True
            return False
        if isinstance(exc, ServiceError):
            add_service_error(self.form, exc)
            return True
        return False


def run_service(form: Any, call: Callable[[], object]) -> bool:
    """Call the service; put its refusal on the form. True when it succeeded."""
    with service_errors(form) as outcome:
        call()
    return outcome.ok


def submitted(request: Any, form: Any, call: Callable[[dict[str, Any]], object]) -> bool:
    """True when the request posts a valid form and the service ``call(cleaned_data)`` ran
    through; a refusal goes onto the form, and the view shows the form again."""
    return bool(
        request.method == "POST"
        and form.is_valid()
        and run_service(form, lambda: call(form.cleaned_data))
    )


def run_service_telling(request: Any, call: Callable[[], object], *, success: str) -> bool:
    """For an action without a form (a button): call the service and say how it went in a
    message, the service's refusal or ``success``. True when it succeeded."""
    try:
        call()
    except ServiceError as exc:
        flash.error(request, exc.message)
        return False
    flash.success(request, success)
    return True
