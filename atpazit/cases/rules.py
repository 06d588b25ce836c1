"""Pure rules about a person: the child path (I4) and the detention limit (domain.md §1.10).

No database access: callers pass the person and today's date, so tests can walk a table of
cases and lists can apply the rules to the rows of one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from atpazit.cases.models import OPEN_STATUSES, Person

ADULT_AGE = 18
# The Border Guard may detain for up to 10 days without a court order (domain.md §1.10).
DETENTION_DAYS_WITHOUT_COURT_ORDER = 10
# The alert starts this many days before the limit.
DETENTION_WARNING_DAYS = 2


def age_on(birth_date: date, today: date) -> int:
    """Completed years on ``today`` (a person born on 29 February turns a year older on 1 March)."""
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def parse_date_of_birth(value: str | None) -> date | None:
    """The stored date of birth (ISO text in an encrypted field) as a date; None if unset."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def is_child(person: Person, today: date) -> bool:
    """True if the child path applies (I4): under 18 by any age evidence, or age disputed.

    Evidence is the date of birth, the year of birth and the stated age. Any one of them pointing
    under 18 is enough (presumption of minority). With only a year of birth, a person who turns
    18 this year is presumed a child until the year is over, since their birthday is unknown.
    """
    if person.age_disputed:
        return True
    birth_date = parse_date_of_birth(person.date_of_birth)
    if birth_date is not None and age_on(birth_date, today) < ADULT_AGE:
        return True
    if person.birth_year is not None and today.year - person.birth_year <= ADULT_AGE:
        return True
    return person.stated_age is not None and person.stated_age < ADULT_AGE


@dataclass(frozen=True)
class DetentionAlert:
    """The 10-day limit of detention without a court order is near (``overdue`` False) or past."""

    deadline: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def detention_deadline(person: Person) -> date | None:
    """Last day of detention allowed without a court order; None if not detained or ordered."""
    if person.detained_since is None or person.detention_court_order_on is not None:
        return None
    return person.detained_since + timedelta(days=DETENTION_DAYS_WITHOUT_COURT_ORDER)


def detention_alert(person: Person, today: date) -> DetentionAlert | None:
    """An alert when the limit is within DETENTION_WARNING_DAYS days or has passed."""
    deadline = detention_deadline(person)
    if deadline is None or person.status not in OPEN_STATUSES:
        return None
    days_left = (deadline - today).days
    if days_left > DETENTION_WARNING_DAYS:
        return None
    return DetentionAlert(deadline=deadline, days_left=days_left)


def detention_alert_cutoff(today: date) -> date:
    """Persons detained on or before this day (without a court order) have an alert today."""
    return today - timedelta(days=DETENTION_DAYS_WITHOUT_COURT_ORDER - DETENTION_WARNING_DAYS)
