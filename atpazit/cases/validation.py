"""The rules a person's data must meet, in one place for the form, imports and the API (I8).

``clean_person_data`` takes plain Python values (dates, ints, strings, a list of language
codes), normalises them to what the model stores, and returns every problem at once, keyed
by field name, so a form can show each message next to its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

from django.db.models import Field
from django.utils.translation import gettext as _

from atpazit.cases import geo
from atpazit.cases.identity import clean_lines, clean_name
from atpazit.cases.models import AppealStatus, DetentionCentre, Person, ReturnDecisionType, Sex

EDITABLE_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "document_numbers",
    "date_of_birth",
    "birth_year",
    "stated_age",
    "age_disputed",
    "sex",
    "nationality",
    "languages",
    "preferred_language",
    "interpreter_needed",
    "contact_details",
    "detention_centre",
    "detention_place_other",
    "detained_since",
    "detention_court_order_on",
    "return_decision_type",
    "return_decision_reference",
    "return_decision_date",
    "voluntary_departure_until",
    "appeal_status",
    "planned_removal_date",
)
TEXT_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "document_numbers",
    "contact_details",
    "detention_place_other",
    "return_decision_reference",
    "preferred_language",
    "nationality",
)
EARLIEST_YEAR = 1900
OLDEST_AGE = 120

Errors = dict[str, list[str]]


def _defaults() -> dict[str, Any]:
    defaults = {}
    for name in EDITABLE_FIELDS:
        field = cast(Field[Any, Any], Person._meta.get_field(name))
        defaults[name] = field.get_default()
    return defaults


def clean_person_data(data: dict[str, Any], *, today: date) -> tuple[dict[str, Any], Errors]:
    """Normalised values for every editable field, and the problems found (empty if none).

    Missing keys take the model default. Raises ValueError for an unknown key (a bug, not input).
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    values = _defaults() | data
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    # Names are stored clean: no zero-width or bidirectional characters, NFC, single spaces
    # (they would hide the person from search and from identity matching).
    values["given_names"] = clean_name(values["given_names"])
    values["family_name"] = clean_name(values["family_name"])
    values["aliases"] = clean_lines(values["aliases"])
    values["document_numbers"] = clean_lines(values["document_numbers"])
    values["nationality"] = values["nationality"].upper()
    values["languages"] = list(dict.fromkeys(code.strip() for code in values["languages"] or []))
    errors: Errors = {}
    for check in CHECKS:
        check(values, errors, today)
    dob = _as_date(values["date_of_birth"])
    values["date_of_birth"] = dob.isoformat() if dob else ""
    if dob is not None and values["birth_year"] is None:
        values["birth_year"] = dob.year
    return values, errors


def _add(errors: Errors, field: str, message: str) -> None:
    messages = errors.setdefault(field, [])
    if message not in messages:
        messages.append(message)


def _check_names(values: dict[str, Any], errors: Errors, today: date) -> None:
    if not values["family_name"]:
        _add(errors, "family_name", _("Give the family name (or the only name the person uses)."))
    for name in ("given_names", "family_name", "detention_place_other"):
        if len(values[name]) > 200:
            _add(errors, name, _("At most 200 characters."))
    if len(values["return_decision_reference"]) > 64:
        _add(errors, "return_decision_reference", _("At most 64 characters."))


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _check_age(values: dict[str, Any], errors: Errors, today: date) -> None:
    dob_value = values["date_of_birth"]
    dob = _as_date(dob_value)
    if dob_value and dob is None:
        _add(errors, "date_of_birth", _("Enter the date of birth as a date."))
    if dob is not None and dob > today:
        _add(errors, "date_of_birth", _("The date of birth cannot be in the future."))
    if dob is not None and dob.year < EARLIEST_YEAR:
        _add(errors, "date_of_birth", _("Check the date of birth: it is before 1900."))
    year = values["birth_year"]
    if year is not None and not EARLIEST_YEAR <= year <= today.year:
        _add(
            errors,
            "birth_year",
            _("The year of birth must be between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": today.year},
        )
    elif year is not None and dob is not None and dob.year != year:
        _add(errors, "birth_year", _("The year of birth does not match the date of birth."))
    age = values["stated_age"]
    if age is not None and not 0 <= age <= OLDEST_AGE:
        _add(errors, "stated_age", _("The stated age must be between 0 and 120."))
    if values["age_disputed"] not in (True, False):
        _add(errors, "age_disputed", _("Answer yes or no."))


def _check_choices(values: dict[str, Any], errors: Errors, today: date) -> None:
    allowed = {
        "sex": Sex.values,
        "detention_centre": ["", *DetentionCentre.values],
        "return_decision_type": ["", *ReturnDecisionType.values],
        "appeal_status": AppealStatus.values,
    }
    for name, choices in allowed.items():
        if values[name] not in choices:
            _add(errors, name, _("Choose one of the listed options."))


def _check_codes(values: dict[str, Any], errors: Errors, today: date) -> None:
    if not values["nationality"]:
        _add(errors, "nationality", _("Choose the nationality (or “nationality not known”)."))
    elif not geo.is_country(values["nationality"]):
        _add(
            errors,
            "nationality",
            _("“%(code)s” is not an ISO 3166 country code.") % {"code": values["nationality"]},
        )
    unknown = [code for code in values["languages"] if not geo.is_language(code)]
    if unknown:
        _add(
            errors,
            "languages",
            _("Not ISO 639-1 language codes: %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    preferred = values["preferred_language"]
    if preferred and not geo.is_language(preferred):
        _add(
            errors,
            "preferred_language",
            _("“%(code)s” is not an ISO 639-1 language code.") % {"code": preferred},
        )


def _check_detention(values: dict[str, Any], errors: Errors, today: date) -> None:
    centre, since = values["detention_centre"], values["detained_since"]
    court_order = values["detention_court_order_on"]
    if centre == DetentionCentre.OTHER and not values["detention_place_other"]:
        _add(errors, "detention_place_other", _("Name the place of detention."))
    if centre and since is None:
        _add(errors, "detained_since", _("Give the date detention started."))
    if since is not None and since > today:
        _add(errors, "detained_since", _("Detention cannot start in the future."))
    if court_order is not None and since is None:
        _add(errors, "detained_since", _("Give the date detention started."))
    if court_order is not None and since is not None and court_order < since:
        _add(
            errors,
            "detention_court_order_on",
            _("The court order cannot be dated before detention started."),
        )


def _check_return_decision(values: dict[str, Any], errors: Errors, today: date) -> None:
    decided, until = values["return_decision_date"], values["voluntary_departure_until"]
    if decided is not None and decided > today:
        _add(errors, "return_decision_date", _("The decision date cannot be in the future."))
    if values["return_decision_type"] and decided is None:
        _add(errors, "return_decision_date", _("Give the date of the decision."))
    if decided is not None and not values["return_decision_type"]:
        _add(errors, "return_decision_type", _("Choose the type of decision."))
    if until is not None and decided is not None and until < decided:
        _add(
            errors,
            "voluntary_departure_until",
            _("The period for voluntary departure cannot end before the decision date."),
        )


CHECKS: list[Callable[[dict[str, Any], Errors, date], None]] = [
    _check_names,
    _check_age,
    _check_choices,
    _check_codes,
    _check_detention,
    _check_return_decision,
]
