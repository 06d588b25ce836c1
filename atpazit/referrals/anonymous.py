"""The anonymous notification's de-identification and display (I5, issue 11 §6).

A notification (and the labour inspectorate's notice, which has the same keys) describes a
person nobody may re-identify. Latvia has two accommodation centres for detained foreigners
and a handful of detainees a day in each: the centre and the exact day together with sex, age
band and nationality can point at one person. So what is *stored* in the payload — the only
thing the recipient ever sees — is coarse: the **region** of the place (a statistical region of
Latvia, or "unknown") and the **ISO week** of the day (``2026-W49``). The exact values are
never stored with the notification; the suspicion they come from stays with the sender.

Limit: each centre lies in its own region (Mucenieki in Pierīga, Daugavpils in Latgale), so the
region still tells the recipient which centre; it no longer says a street address or a place
named in an "other place" note, and the week hides the day.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from atpazit.cases import geo
from atpazit.cases.models import DetentionCentre, Person, Sex
from atpazit.lib.weeks import week_label

# Statistical regions of Latvia (NUTS 3), the coarsest place that still lets the police act.
REGIONS = {
    "riga": _("Rīga region"),
    "pieriga": _("Pierīga region"),
    "vidzeme": _("Vidzeme region"),
    "kurzeme": _("Kurzeme region"),
    "zemgale": _("Zemgale region"),
    "latgale": _("Latgale region"),
    "unknown": _("region not recorded"),
}
REGION_OF_CENTRE = {
    DetentionCentre.MUCENIEKI.value: "pieriga",  # Mucenieki, Ropaži municipality
    DetentionCentre.DAUGAVPILS.value: "latgale",
}


def region_of(person: Person) -> str:
    """The region code of where the person is held; "unknown" for any other place."""
    return REGION_OF_CENTRE.get(person.detention_centre or "", "unknown")


def region_label(code: str) -> str:
    label = REGIONS.get(code)
    return str(label) if label is not None else str(REGIONS["unknown"])


def anonymous_rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """What the recipient reads (and the sender sees was sent): each key labelled, the
    indicators with their texts in the reader's language, the region and the week."""
    nationality = payload.get("nationality")
    return [
        (gettext("Sex"), str(dict(Sex.choices).get(payload.get("sex", ""), "—"))),
        (gettext("Age band"), payload.get("age_band", "—")),
        (gettext("Nationality"), geo.country_name(nationality) if nationality else "—"),
        (gettext("Indicators"), "; ".join(indicator_texts(payload.get("indicators", []))) or "—"),
        (gettext("Region"), place_label(payload.get("place", ""))),
        (gettext("Week"), week_label(payload.get("date", ""))),
    ]


def place_label(value: str) -> str:
    """A region code; a notification stored before regions (a centre code) shows its region."""
    return region_label(REGION_OF_CENTRE.get(value, value))


def indicator_texts(codes: Iterable[str]) -> list[str]:
    """Each code with its text in the reader's language (the catalogue's lv/en/ru; lv for
    any other interface language). A code the shipped catalogue lacks is shown as the code."""
    from atpazit.screening.catalogue import latest_catalogue

    catalogue = latest_catalogue()
    language = (get_language() or "lv")[:2]
    language = language if language in ("lv", "en", "ru") else "lv"
    texts = []
    for code in codes:
        if code in catalogue:
            texts.append(f"{code}: {catalogue.indicator(code).text.in_language(language)}")
        else:
            texts.append(code)
    return texts


def screening_indicators(suspicion_person: Person, source_reference: str) -> list[str]:
    """The indicators already recorded in the screening behind the suspicion (its
    ``source_reference`` ``screening:<pk>``), else in the person's latest decided screening:
    what the notification form starts with. The officer still chooses what is sent."""
    from atpazit.screening.models import ScreeningObservation, ScreeningSession

    sessions = ScreeningSession.objects.filter(person=suspicion_person)
    prefix, _sep, pk = source_reference.partition(":")
    session = None
    if prefix == "screening" and pk.isdigit():
        session = sessions.filter(pk=int(pk)).first()
    if session is None:
        session = (
            sessions.filter(completed_at__isnull=False).order_by("-completed_at", "-pk").first()
        )
    if session is None:
        return []
    return sorted(
        set(
            ScreeningObservation.objects.filter(session=session).values_list("indicator", flat=True)
        )
    )
