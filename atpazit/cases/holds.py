"""The one guard every removal path calls (invariant I1)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from atpazit.cases.models import Hold, Person


@dataclass(frozen=True)
class RemovalObstacle:
    """Something other than a hold that stops a removal step for now (e.g. "re-screen before
    removal"). ``code`` is stable (audit details, tests); ``message`` is translated."""

    code: str
    message: str


class RemovalBlocked(Exception):
    """A removal step was refused because the person is under an active hold, or because a
    registered removal precondition is not met (``obstacles``)."""

    def __init__(
        self, person: Person, holds: list[Hold], obstacles: list[RemovalObstacle] | None = None
    ) -> None:
        self.person = person
        self.holds = holds
        self.obstacles = list(obstacles or [])
        super().__init__(self._message())

    def _message(self) -> str:
        parts = []
        if self.holds:
            causes = ", ".join(str(hold.get_cause_display()) for hold in self.holds)
            parts.append(
                _(
                    "%(case)s is under a removal hold (%(causes)s): they cannot be put on a manifest, "
                    "marked departed or have a removal confirmed until the hold is released by a recorded decision."
                )
                % {"case": self.person.case_number, "causes": causes}
            )
        if self.obstacles:
            parts.append(
                _(
                    "%(case)s cannot be put on a manifest, marked departed or have a removal confirmed yet: %(reasons)s"
                )
                % {
                    "case": self.person.case_number,
                    "reasons": " ".join(obstacle.message for obstacle in self.obstacles),
                }
            )
        return " ".join(parts)

    @property
    def summary(self) -> str:
        """Short: the hold causes and the obstacles, for a list of blocked persons."""
        causes = [str(hold.get_cause_display()) for hold in self.holds]
        return ", ".join(causes + [obstacle.message for obstacle in self.obstacles])

    @property
    def codes(self) -> dict[str, list[Any]]:
        """For audit details: hold ids and obstacle codes, never text."""
        return {
            "holds": [hold.pk for hold in self.holds],
            "obstacles": [obstacle.code for obstacle in self.obstacles],
        }


def active_holds(person: Person) -> list[Hold]:
    return list(Hold.objects.active().filter(person=person))


def ensure_no_active_hold(person: Person) -> None:
    """Raise RemovalBlocked if ``person`` has an active hold, or if a registered removal
    precondition is not met. Every removal path calls this inside its transaction, after locking
    the person row, so a hold raised concurrently is not missed."""
    holds = active_holds(person)
    obstacles = removal_obstacles([person.pk]).get(person.pk, [])
    if holds or obstacles:
        raise RemovalBlocked(person, holds, obstacles)


# --- removal preconditions ----------------------------------------------------------------------
# Besides holds, other apps may need something done before a person is removed (the referral
# work: "re-screen before removal" after a hold was released). They register a check here from
# AppConfig.ready(), so cases never imports them and every removal path (which all go through
# ensure_no_active_hold) enforces it. A check takes person ids and answers, in a fixed number of
# queries, the obstacles per person id (persons without any are left out).

RemovalPrecondition = Callable[[list[int]], dict[int, list[RemovalObstacle]]]

_REMOVAL_PRECONDITIONS: list[RemovalPrecondition] = []


def register_removal_precondition(check: RemovalPrecondition) -> None:
    if check not in _REMOVAL_PRECONDITIONS:
        _REMOVAL_PRECONDITIONS.append(check)


def removal_obstacles(person_ids: Iterable[int]) -> dict[int, list[RemovalObstacle]]:
    """Every registered precondition's obstacles for these persons (one call per check)."""
    ids = list(person_ids)
    found: dict[int, list[RemovalObstacle]] = {}
    if not ids:
        return found
    for check in _REMOVAL_PRECONDITIONS:
        for pk, obstacles in check(ids).items():
            found.setdefault(pk, []).extend(obstacles)
    return found


# --- release conditions -------------------------------------------------------------------------
# A hold is released only when its release conditions hold (I1). Each cause has its own rules;
# the referral work registers the rules of the causes it creates (reflection period running,
# referral track still open...). A cause with no registered rule cannot be released at all:
# deny when unsure.

ReleaseCondition = Callable[[Hold], list[str]]

_RELEASE_CONDITIONS: dict[str, list[ReleaseCondition]] = {}


def register_release_condition(cause: str, condition: ReleaseCondition) -> None:
    """Add a rule for holds of ``cause``: it returns translated reasons why release must wait,
    or an empty list. Called from AppConfig.ready() of the app that owns the cause."""
    conditions = _RELEASE_CONDITIONS.setdefault(cause, [])
    if condition not in conditions:
        conditions.append(condition)


def release_blockers(hold: Hold) -> list[str]:
    """Translated reasons why ``hold`` cannot be released now; empty when it may be."""
    if not hold.is_active:
        return [_("This hold has already been released.")]
    conditions = _RELEASE_CONDITIONS.get(hold.cause)
    if conditions is None:
        return [
            _(
                "No release rule exists yet for holds of this cause (%(cause)s); it stays in force "
                "until the identification workflow decides."
            )
            % {"cause": hold.get_cause_display()}
        ]
    return [reason for condition in conditions for reason in condition(hold)]


def _manual_hold_conditions(hold: Hold) -> list[str]:
    # A manual hold is the Border Guard's own precaution; a recorded decision may end it.
    return []


register_release_condition(Hold.Cause.MANUAL, _manual_hold_conditions)


# Called after a hold is placed or released, inside the same transaction, with (person, actor).
# The removals app registers its conflict check here, so a hold on someone already on a manifest
# becomes a blocking conflict at once — without cases importing removals.
HOLD_CHANGE_LISTENERS: list[Callable[[Person, Any], None]] = []


def hold_changed(person: Person, actor: Any = None) -> None:
    for listener in HOLD_CHANGE_LISTENERS:
        listener(person, actor)
