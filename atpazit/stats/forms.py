"""The period of the statistics: a calendar year for everyone, any dates for case-level readers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.cases.forms import DateInput
from atpazit.stats.selectors import Period

FIRST_YEAR = 2011  # Directive 2011/36/EU


# The days a period may take: no record is older than FIRST_YEAR.
EARLIEST = dt.date(FIRST_YEAR, 1, 1)
LATEST = dt.date(2100, 12, 31)


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100, required=False)
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=DateInput()
    )
    end = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, free_period: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free_period = free_period
        if not free_period:
            # A reader without case-level access reads whole calendar years only: two
            # overlapping periods could otherwise be subtracted (docs/disclosure-control.md).
            del self.fields["start"]
            del self.fields["end"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not EARLIEST <= day <= LATEST:
                # The period's bounds are turned into moments: a year 9999 would overflow them.
                self.add_error(
                    name,
                    _("Choose a day from %(first)s to %(last)s.")
                    % {"first": date_format(EARLIEST), "last": date_format(LATEST)},
                )
                cleaned[name] = None
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.free_period and (start or end):
            if not (start and end):
                raise forms.ValidationError(_("Give both the first and the last day."))
            if end < start:
                self.add_error("end", _("The last day must not be before the first."))
            elif (end - start).days > 366 * 20:
                self.add_error("end", _("Choose a period of at most twenty years."))
        return cleaned

    def period(self) -> Period:
        """The chosen period; this calendar year when nothing (valid) is chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.free_period and data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return Period.calendar_year(data.get("year") or timezone.localdate().year)


def year_choices() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, max(FIRST_YEAR, this_year - 15) - 1, -1))
